// A minimal W3C WebDriver client over fetch, driving headless Chromium through chromedriver (Debian chromium + chromium-driver).
import { freePorts, start, until } from "./support.mjs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMEDRIVER = process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver";

/** Starts chromedriver and one headless Chromium session (with `args` added to Chromium's); `quit()` ends both. */
export async function openBrowser(args = []) {
  const [port] = await freePorts();
  const driver = start(CHROMEDRIVER, [`--port=${port}`, "--allowed-ips=127.0.0.1"]);
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
    return value;
  };
  try {
    await until(async () => (await call("GET", "/status")).ready, `chromedriver (${driver.output()})`);
    const { sessionId } = await call("POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "chrome",
          // Running as root in a container: no sandbox, and /dev/shm is small.
          "goog:chromeOptions": { binary: CHROMIUM, args: ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", ...args] },
        },
      },
    });
    const session = `/session/${sessionId}`;
    const find = async (css) => (await call("POST", `${session}/element`, { using: "css selector", value: css }))[ELEMENT];
    return {
      open: (url) => call("POST", `${session}/url`, { url }),
      /** Runs a script in the page and returns its (JSON-able) result. */
      evaluate: (script, ...args) => call("POST", `${session}/execute/sync`, { script, args }),
      text: async (css) => call("GET", `${session}/element/${await find(css)}/text`),
      /** Picks a file in an <input type=file>, as a user does in the file dialog. */
      pickFile: async (css, path) => call("POST", `${session}/element/${await find(css)}/value`, { text: path }),
      click: async (css) => call("POST", `${session}/element/${await find(css)}/click`, {}),
      /** Waits for `document.body.dataset.state` to leave the given in-progress states. */
      settled: (...busy) =>
        until(async () => {
          const state = await call("POST", `${session}/execute/sync`, { script: "return document.body.dataset.state", args: [] });
          return busy.includes(state) ? undefined : state;
        }, "the page"),
      quit: async () => {
        await call("DELETE", session).catch(() => undefined);
        await driver.stop();
      },
    };
  } catch (error) {
    await driver.stop();
    throw error;
  }
}
