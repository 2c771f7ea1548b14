// Content tags and email templates (numeric id or `code_word`; update replaces all fields) and template groups ({name}, numeric template_group_id).
import { newId } from "../store.js";
import { SANDBOX_USER_ID } from "./suppressions.js";
import { conflict, findOr404, invalid, objectBody, text } from "./validate.js";

const KINDS = {
  // A content tag's type cannot be changed by an update.
  tag: { collection: "contentTags", idField: "tag_id", label: "content tag", codeWordRequired: true, keepsType: true, defaults: { type: "static" } },
  template: { collection: "templates", idField: "template_id", label: "template", codeWordRequired: false, keepsType: false, defaults: { user_id: SANDBOX_USER_ID } },
};

function codedHandlers({ collection, idField, label, codeWordRequired, keepsType, defaults }) {
  const lookup = (key) => (record) => (/^\d+$/.test(key) ? String(record[idField]) === key : record.code_word === key);
  const find = (state, key) => findOr404(state[collection], lookup(key), `no such ${label}: ${key}`);

  function checked(input, state, self) {
    if (codeWordRequired || input.code_word !== undefined) {
      const codeWord = text(input.code_word, "code_word", { max: 100 });
      if (/^\d+$/.test(codeWord)) throw invalid("'code_word' must not be all digits (it would read as a numeric id)");
      if (state[collection].some((record) => record !== self && record.code_word === codeWord)) {
        throw conflict(`a ${label} with code_word ${JSON.stringify(codeWord)} already exists`);
      }
    }
    return input;
  }

  return {
    create({ store, body }) {
      const input = objectBody(body);
      return store.update((state) => {
        const record = { ...defaults, ...checked(input, state, null), [idField]: newId(state) };
        state[collection].push(record);
        return { data: record };
      });
    },
    get: ({ store, params }) => ({ data: find(store.state, params[idField]) }),
    list: ({ store }) => ({ data: store.state[collection] }),
    // Replaces ALL fields (omitted ones are gone); the id, and a tag's type, stay.
    update({ store, params, body }) {
      const input = objectBody(body);
      return store.update((state) => {
        const old = find(state, params[idField]);
        if (keepsType && input.type !== undefined && input.type !== old.type) {
          throw invalid(`the type of a ${label} cannot be changed`);
        }
        const record = { ...checked(input, state, old), [idField]: old[idField] };
        if (keepsType) record.type = old.type;
        state[collection][state[collection].indexOf(old)] = record;
      });
    },
    remove: ({ store, params }) =>
      store.update((state) => {
        const old = find(state, params[idField]);
        state[collection].splice(state[collection].indexOf(old), 1);
      }),
  };
}

const tags = codedHandlers(KINDS.tag);
const templates = codedHandlers(KINDS.template);

export const createTag = tags.create;
export const getTag = tags.get;
export const listTags = tags.list;
export const updateTag = tags.update;
export const removeTag = tags.remove;
export const createTemplate = templates.create;
export const getTemplate = templates.get;
export const updateTemplate = templates.update;
export const removeTemplate = templates.remove;

/** getEmailTemplateList: `?user_id=N` restricts the list to that owner's templates. */
export function listTemplates(ctx) {
  const userId = ctx.query.get("user_id");
  if (userId === null) return templates.list(ctx);
  if (!/^\d{1,15}$/.test(userId)) throw invalid("query parameter 'user_id' must be an integer");
  return { data: ctx.store.state.templates.filter((template) => String(template.user_id) === userId) };
}

const findGroup = (state, id) =>
  findOr404(state.templateGroups, (group) => String(group.template_group_id) === id, `no such template group: ${id}`);

function groupName(state, body, self) {
  const name = text(objectBody(body).name, "name", { max: 255 });
  if (state.templateGroups.some((group) => group !== self && group.name === name)) {
    throw conflict(`template group ${JSON.stringify(name)} already exists`);
  }
  return name;
}

export const createGroup = ({ store, body }) =>
  store.update((state) => {
    const group = { template_group_id: newId(state), name: groupName(state, body, null) };
    state.templateGroups.push(group);
    return { data: group };
  });

export const listGroups = ({ store }) => ({ data: store.state.templateGroups });

export const updateGroup = ({ store, params, body }) =>
  store.update((state) => {
    const group = findGroup(state, params.template_group_id);
    group.name = groupName(state, body, group);
  });

export const removeGroup = ({ store, params }) =>
  store.update((state) => {
    state.templateGroups.splice(state.templateGroups.indexOf(findGroup(state, params.template_group_id)), 1);
  });
