// Unit tests of the sandbox's multipart/form-data parser: accepted layouts and each malformation (400, never a crash).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError } from "../../js/sandbox/http.js";
import { parseMultipart } from "../../js/sandbox/multipart.js";

const CT = "multipart/form-data; boundary=b0undary";
const parse = (text, contentType = CT) => parseMultipart(Buffer.from(text, "latin1"), contentType);
const malformed = (text, pattern, contentType) =>
  assert.throws(() => parse(text, contentType), (error) => error instanceof ApiError && error.status === 400 && pattern.test(error.message));

test("parts, headers, filename and filename*, preamble and epilogue, empty content", () => {
  const parts = parse(
    "preamble\r\n--b0undary\r\n" +
      'Content-Disposition: form-data; name="json"\r\n\r\n{"a":1}\r\n' +
      "--b0undary\r\n" +
      'content-disposition: form-data; name="files"; filename="x.bin"\r\nContent-Type: application/pdf\r\n\r\n\x00\xff--b0undary\r\n' +
      "--b0undary\r\n" +
      "Content-Disposition: form-data; name=files; filename*=UTF-8''%C3%A9.txt\r\n\r\n\r\n" +
      "--b0undary--\r\nepilogue",
  );
  assert.deepEqual(
    parts.map((p) => [p.name, p.filename, p.contentType, p.data.toString("latin1")]),
    [
      ["json", null, null, '{"a":1}'],
      ["files", "x.bin", "application/pdf", "\x00\xff--b0undary"],
      ["files", "é.txt", null, ""],
    ],
  );
});

test("a quoted boundary with spaces", () => {
  const parts = parse('--a b\r\nContent-Disposition: form-data; name="json"\r\n\r\n{}\r\n--a b--', 'multipart/form-data; boundary="a b"');
  assert.equal(parts[0].data.toString(), "{}");
});

test("malformed bodies are 400s", () => {
  malformed("", /opening boundary/);
  malformed("--b0undary--", /boundary/, "multipart/form-data");
  malformed("--other\r\n\r\nx\r\n--other--", /opening boundary/);
  malformed('--b0undary\r\nContent-Disposition: form-data; name="a"\r\n\r\nno closing', /closing boundary/);
  malformed('--b0undary\r\nContent-Disposition: form-data; name="a"', /not terminated/);
  malformed("--b0undary\r\nno colon here\r\n\r\nx\r\n--b0undary--", /header line/);
  malformed("--b0undary\r\n\r\nx\r\n--b0undary--", /Content-Disposition/);
  malformed("--b0undary\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b0undary--", /Content-Disposition/);
  malformed("--b0undary\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0undary--", /no name/);
  malformed("--b0undaryXX\r\n", /CRLF/);
  malformed("--b0undary\r\nContent-Disposition: form-data; name=a; filename*=nope\r\n\r\nx\r\n--b0undary--", /filename\*/);
  malformed("--b0undary\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''%E0%A4%A\r\n\r\nx\r\n--b0undary--", /percent/);
});

test("random bytes never throw anything but a 400 ApiError", () => {
  for (let i = 0; i < 2000; i += 1) {
    const pieces = ["--b0undary", "\r\n", "\r\n\r\n", "--", "Content-Disposition: form-data; name=files", "; filename=x", "\x00", "abc"];
    let text = "";
    const length = Math.floor(Math.random() * 12);
    for (let j = 0; j < length; j += 1) text += pieces[Math.floor(Math.random() * pieces.length)];
    try {
      parse(text);
    } catch (error) {
      assert.ok(error instanceof ApiError && error.status === 400, `${error} for ${JSON.stringify(text)}`);
    }
  }
});
