/**
 * Whether `url` (absolute, as a `Link` header or a redirect gives it) lies under the API root
 * `apiUrl`: same scheme, host and port, and a path inside the root's path. The client sends its token
 * with every request, so a URL outside the root is never fetched.
 */
export function isWithinApi(url: string, apiUrl: string): boolean {
  let target: URL;
  let root: URL;
  try {
    target = new URL(url);
    root = new URL(apiUrl);
  } catch {
    return false;
  }
  if (target.origin !== root.origin || target.username !== '' || target.password !== '') return false;
  const rootPath = root.pathname.replace(/\/+$/, '');
  return target.pathname === rootPath || target.pathname.startsWith(`${rootPath}/`);
}
