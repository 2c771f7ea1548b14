// The Node rows' app (an ESM and a CommonJS handler are made from it): a GET, a Blob upload and a typed API error
// against the sandbox named by LUXSCI_TARGET, printed as one JSON line. LUXSCI_ROW names the upload.
async function main({ LuxSciClient, LuxSciError }) {
  const client = new LuxSciClient(JSON.parse(process.env.LUXSCI_TARGET));
  const row = process.env.LUXSCI_ROW;
  const domains = await client.getDomainsReport();
  await client.createContentLibraryDirectory(row);
  await client.uploadContentLibraryFile(`${row}/${row}.txt`, new Blob([`uploaded by ${row}`], { type: "text/plain" }));
  const stored = await client.getContentLibraryFile(`${row}/${row}.txt`);
  const failure = await client.getDomainDetails("missing.example").catch((error) => error);
  console.log(JSON.stringify({
    domainsIsArray: Array.isArray(domains),
    uploaded: { name: stored.name, size: stored.size },
    error: [failure.name, failure.status, failure instanceof LuxSciError],
  }));
}
