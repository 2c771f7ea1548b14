// The browser rows' page script (an ESM and a CommonJS variant are made from it): a relay-mode client made at once,
// a GET, a Blob upload, a typed API error, a report walked in pages and a sendEmailBatch (both loaded on first use)
// through the relay at /luxsci, the result shown as JSON in #out, state in body's dataset.
const params = new URLSearchParams(location.search);
const client = new LuxSciClient({ baseUrl: "/luxsci", relay: true, accountId: params.get("accountId"), username: params.get("username") });
(async () => {
  const row = params.get("row");
  const domains = await client.getDomainsReport();
  await client.createContentLibraryDirectory(row);
  await client.uploadContentLibraryFile(`${row}/${row}.txt`, new Blob([`uploaded by ${row}`], { type: "text/plain" }));
  const stored = await client.getContentLibraryFile(`${row}/${row}.txt`);
  const failure = await client.getDomainDetails("missing.example").catch((error) => error);
  let users = 0;
  for await (const user of client.iterateUsersReport({}, { pageSize: 4 })) users += typeof user.user === "string" ? 1 : 0;
  const [batch] = await client.sendEmailBatch([{ to: ["reader@example.com"], subject: `batch from ${row}`, body: "sent" }]);
  return {
    domainsIsArray: Array.isArray(domains),
    uploaded: { name: stored.name, size: stored.size },
    error: [failure.name, failure.status, failure instanceof LuxSciError],
    pagedUsers: users > 4,
    batchSent: typeof batch.sendmailId === "string",
  };
})().then(
  (result) => {
    document.querySelector("#out").textContent = JSON.stringify(result);
    document.body.dataset.state = "done";
  },
  (error) => {
    document.querySelector("#out").textContent = `${error?.name}: ${error?.message}`;
    document.body.dataset.state = "failed";
  },
);
