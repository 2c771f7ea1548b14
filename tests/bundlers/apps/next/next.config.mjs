// The README's one line for a relay in Next.js: Next.js redirects a path ending in "/" to the path without it, which
// turns a content-library directory (…/content_library/dir/) into a file path before the relay route sees it.
export default { skipTrailingSlashRedirect: true };
