// The Next.js app's root layout: the page state the browser row waits on (body's dataset), as in the other rows.
export default function Layout({ children }) {
  return (
    <html>
      <body data-state="loading">{children}</body>
    </html>
  );
}
