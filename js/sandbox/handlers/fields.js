// Custom fields: createCustomField ({name, ...}; names unique, case-insensitive) and getCustomFields.
import { newId } from "../store.js";
import { conflict, objectBody, text } from "./validate.js";

export function create({ store, body }) {
  const input = objectBody(body);
  const name = text(input.name, "name", { max: 100 });
  return store.update((state) => {
    if (state.customFields.some((field) => field.name.toLowerCase() === name.toLowerCase())) {
      throw conflict(`custom field ${JSON.stringify(name)} already exists`);
    }
    const field = { ...input, field_id: newId(state), name };
    state.customFields.push(field);
    return { data: field };
  });
}

export const list = ({ store }) => ({ data: store.state.customFields });
