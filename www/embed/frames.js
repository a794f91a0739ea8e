// The host frames the client makes (the hidden background frame, the hidden
// spare one kept booted for the next challenge, one per challenge when the spare
// cannot serve) and posting commands into them. Styles go through the CSSOM
// (`style.cssText`), which a page's Content-Security-Policy does not restrict.

import { ALLOW } from "./rules.js";

const HIDDEN = "position:absolute;width:0;height:0;border:0;visibility:hidden";

/**
 * A host frame in `parent`, not sandboxed, told who its parent is (`?parent=`),
 * which locale to speak (`?locale=`) and, when `fed`, to ask this page for its
 * app (`?app=parent`: preload.js answers it). The spare one is told so
 * (`#spare`: in the fragment, so its page is the background frame's, from the
 * cache) and makes its challenge frame ahead.
 */
export function hostFrame(hostUrl, locale, parent, spare, fed) {
  const url = new URL(hostUrl);
  url.searchParams.set("parent", location.origin);
  url.searchParams.set("locale", locale);
  if (fed) url.searchParams.set("app", "parent");
  if (spare) url.hash = "spare";
  const frame = document.createElement("iframe");
  frame.setAttribute("allow", ALLOW);
  frame.src = url.href;
  frame.title = "3-D Secure";
  parent.append(frame);
  return frame;
}

/** Hides a frame (the background frame, the spare one): out of sight, of the tab order and of assistive tech. */
export function hide(frame) {
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("tabindex", "-1");
  frame.style.cssText = HIDDEN;
}

/**
 * Moves the booted, hidden spare frame to the end of `parent` without reloading
 * it (`moveBefore`, Chromium 133+) and gives it back to the tab order and
 * assistive tech; a modal has just made it `inert` with the rest of <body>: that
 * goes too. False where the browser cannot move it.
 */
export function adopt(parent, frame) {
  try {
    parent.moveBefore(frame, null);
  } catch {
    return false;
  }
  for (const name of ["aria-hidden", "tabindex", "inert"]) frame.removeAttribute(name);
  return true;
}

/** Posts a command to a host frame, with the host's exact origin as the target. */
export function post(frame, command, hostOrigin) {
  frame.contentWindow?.postMessage(command, hostOrigin);
}
