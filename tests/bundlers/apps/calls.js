// Every row's calls (Node handlers, Next.js routes, the browser pages; each wraps this text as it needs): a
// GET, a Blob upload, a typed API error, a report walked in pages and a sendEmailBatch (both loaded on first use)
// against the sandbox `options` names, with `row` naming the upload.
async function calls({ LuxSciClient, LuxSciError }, options, row) {
  const client = new LuxSciClient(options);
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
}
