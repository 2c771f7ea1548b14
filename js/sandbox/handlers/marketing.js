// Marketing v2: addMarketingList, addMarketingContact (unique email), addMarketingContacts (one result per contact), addMarketingCampaign.
import { ApiError } from "../http.js";
import { newId } from "../store.js";
import { conflict, emailAddress, gmt, invalid, objectBody, text } from "./validate.js";

function addNamed(kind) {
  return ({ store, body, now }) => {
    const input = objectBody(body);
    const name = text(input.name, "name", { max: 255 });
    return store.update((state) => {
      const record = { ...input, id: newId(state), name, created: gmt(now) };
      state.marketing[kind].push(record);
      return { data: record };
    });
  };
}

export const addList = addNamed("lists");
export const addCampaign = addNamed("campaigns");

/** Adds one contact to a draft state; throws ApiError (400/409) without changing it on rejection. */
function insertContact(state, body, now) {
  const input = objectBody(body);
  const email = emailAddress(input.email);
  if (state.marketing.contacts.some((contact) => contact.email === email)) throw conflict(`contact ${email} already exists`);
  const contact = { ...input, id: newId(state), email, created: gmt(now) };
  state.marketing.contacts.push(contact);
  return contact;
}

export const addContact = ({ store, body, now }) => store.update((state) => ({ data: insertContact(state, body, now) }));

export function addContacts({ store, body, now }) {
  const { contacts } = objectBody(body);
  if (!Array.isArray(contacts) || contacts.length === 0 || contacts.length > 1000) {
    throw invalid("'contacts' must be an array of 1 to 1000 contact objects");
  }
  return store.update((state) => ({
    data: contacts.map((contact) => {
      try {
        return { success: 1, data: insertContact(state, contact, now) };
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return { success: 0, error_message: error.message };
      }
    }),
  }));
}
