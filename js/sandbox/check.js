// Range checks for numeric settings (startSandbox options and fault rules); failures are RangeErrors naming the setting.

/** Returns `value` if it is a finite number (an integer when asked) within [min, max]; throws a RangeError otherwise. */
export function checkNumber(value, label, { integer = false, min = -Infinity, max = Infinity } = {}) {
  const inRange = typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
  if (!inRange || (integer && !Number.isInteger(value))) {
    const range = [min > -Infinity && `≥ ${min}`, max < Infinity && `≤ ${max}`].filter(Boolean).join(" and ");
    throw new RangeError(`${label} must be a${integer ? "n integer" : " number"}${range ? ` ${range}` : ""}`);
  }
  return value;
}
