// The LuxSciError classes. They live in one registry per realm (globalThis[Symbol.for("luxsci.errors")]),
// so that every copy of the package loaded in a process (ESM and CJS, several bundles) shares them and
// `instanceof` holds across all of them. The wasm core constructs its errors from the same registry.

const KEY = Symbol.for("luxsci.errors");

function define() {
  // Named through a property key: bundlers rename a clashing class binding (esbuild: "LuxSciError2"), never a key.
  const { LuxSciError } = {
    LuxSciError: class extends Error {
      constructor(message, props) {
        super(message);
        Object.defineProperty(this, "name", { value: new.target.name, enumerable: false, configurable: true, writable: true });
        if (props) Object.assign(this, props);
      }
    },
  };
  const sub = (name) => ({ [name]: class extends LuxSciError {} })[name];
  return Object.freeze({
    LuxSciError,
    LuxSciApiError: sub("LuxSciApiError"),
    LuxSciAuthError: sub("LuxSciAuthError"),
    LuxSciTimeoutError: sub("LuxSciTimeoutError"),
    LuxSciAbortError: sub("LuxSciAbortError"),
    LuxSciConnectionError: sub("LuxSciConnectionError"),
    LuxSciValidationError: sub("LuxSciValidationError"),
    // A relay-mode client's relay refused the call or failed: the relay answered, not LuxSci.
    LuxSciRelayError: sub("LuxSciRelayError"),
    // Thrown by the report iterators (js/report-pages.js) when LuxSci answered a page with fewer rows than remain.
    LuxSciReportTruncatedError: sub("LuxSciReportTruncatedError"),
  });
}

const registry = (globalThis[KEY] ??= define());

export const {
  LuxSciError,
  LuxSciApiError,
  LuxSciAuthError,
  LuxSciTimeoutError,
  LuxSciAbortError,
  LuxSciConnectionError,
  LuxSciValidationError,
  LuxSciRelayError,
  LuxSciReportTruncatedError,
} = registry;
