// Content library: directories (end in "/", "" = top level; parents must exist; delete only when empty) and multipart file uploads (metadata kept, bytes not).
import { attachmentRefs, verifyAttachments } from "./attachments.js";
import { conflict, gmt, invalid, notFound, objectBody } from "./validate.js";

/** Validates a directory ("" or "a/b/") or file ("a/b.txt") key: no empty, "." or ".." segments. */
function checkPath(key, kind) {
  const segments = kind === "directory" ? key.split("/").slice(0, -1) : key.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw invalid(`invalid content library ${kind} path ${JSON.stringify(`/${key}`)}: no empty ('//'), '.' or '..' segments`);
  }
  return key;
}

const parentOf = (key) => key.replace(/[^/]*\/?$/, "");
const nameOf = (key) => key.replace(/\/$/, "").split("/").pop();
const shown = (key) => `/${key}`;

function requireParent(library, key) {
  const parent = parentOf(key);
  if (!library.directories[parent]) throw notFound(`parent directory ${shown(parent)} does not exist`);
}

function requireFree(library, key) {
  const bare = key.replace(/\/$/, "");
  if (library.directories[key] || library.files[bare] || library.directories[`${bare}/`]) throw conflict(`${shown(key)} already exists`);
}

const directoryItem = (library, key) => ({ name: nameOf(key), type: "directory", path: shown(key), created: library.directories[key].created });

export function getDirectory({ store, params }) {
  const { library } = store.state;
  const key = checkPath(params.directory, "directory");
  if (!library.directories[key]) throw notFound(`no such directory: ${shown(key)}`);
  const directories = Object.keys(library.directories).filter((other) => other !== "" && parentOf(other) === key);
  const files = Object.keys(library.files).filter((other) => parentOf(other) === key);
  const items = [
    ...directories.map((other) => directoryItem(library, other)),
    ...files.map((other) => ({ type: "file", ...library.files[other] })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { data: { meta: { ...directoryItem(library, key), items: items.length }, items } };
}

export const createDirectory = ({ store, params, now }) =>
  store.update(({ library }) => {
    const key = checkPath(params.directory, "directory");
    requireFree(library, key);
    requireParent(library, key);
    library.directories[key] = { created: gmt(now) };
  });

export const deleteDirectory = ({ store, params }) =>
  store.update(({ library }) => {
    const key = checkPath(params.directory, "directory");
    if (key === "") throw invalid("the top-level directory cannot be deleted");
    if (!library.directories[key]) throw notFound(`no such directory: ${shown(key)}`);
    const busy = [...Object.keys(library.directories), ...Object.keys(library.files)].some(
      (other) => other !== key && other.startsWith(key),
    );
    if (busy) throw conflict(`directory ${shown(key)} is not empty`);
    delete library.directories[key];
  });

function findFile(library, filePath) {
  const key = checkPath(filePath, "file");
  if (!library.files[key]) throw notFound(`no such file: ${shown(key)}`);
  return key;
}

export const getFile = ({ store, params }) => ({ data: store.state.library.files[findFile(store.state.library, params.file_path)] });

export const deleteFile = ({ store, params }) =>
  store.update(({ library }) => {
    delete library.files[findFile(library, params.file_path)];
  });

/** The one `files` part is checked against the JSON part's `attachments: [{name, hash}]`. */
export function uploadFile({ store, params, body, files, now }) {
  const key = checkPath(params.file_path, "file");
  if (files.length !== 1) throw invalid(`uploadContentLibraryFile takes exactly one 'files' part (got ${files.length})`);
  const [file] = verifyAttachments(attachmentRefs(objectBody(body).attachments, "attachments"), files);
  return store.update(({ library }) => {
    requireFree(library, key);
    requireParent(library, key);
    const record = {
      name: nameOf(key),
      path: shown(key),
      size: file.size,
      hash: file.hash,
      content_type: file.contentType ?? "application/octet-stream",
      created: gmt(now),
    };
    library.files[key] = record;
    return { data: record };
  });
}
