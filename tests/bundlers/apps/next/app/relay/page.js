"use client";
// The page a browser opens: it loads the page script (page-script.js, written by the test) once it runs in the browser,
// where `luxsci` resolves to the browser entry and the client is in relay mode.
import { useEffect } from "react";

export default function Page() {
  useEffect(() => {
    import("./page-script.js").catch((error) => {
      document.querySelector("#out").textContent = `${error?.name}: ${error?.message}`;
      document.body.dataset.state = "failed";
    });
  }, []);
  return <pre id="out" />;
}
