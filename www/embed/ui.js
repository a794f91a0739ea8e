// Where the challenge is shown while it runs: inline in the page's container or
// in a modal above everything, with a bar holding its name and Cancel, Escape
// (only from inside the challenge's UI), focus, and the page behind a modal
// made inert. `remove()` puts the page back exactly as it was.

import { BAR_HEIGHT, WINDOW_SIZES, invalid } from "./rules.js";

function element(tag, style) {
  const made = document.createElement(tag);
  // The CSSOM, which a page's Content-Security-Policy does not restrict (a style
  // attribute would need 'unsafe-inline' in its style-src).
  made.style.cssText = style;
  return made;
}

/** An element, or the element a selector names; null for neither. */
export function resolveContainer(value) {
  if (value instanceof Element) return value;
  if (typeof value !== "string") return null;
  try {
    return document.querySelector(value);
  } catch {
    return null;
  }
}

export class ChallengeUi {
  /**
   * Builds the frame's surroundings for a challenge of `size` (a spec code) in
   * `mode` ("inline" into `container`, or "modal"), in the words of `strings`,
   * and wires Cancel and Escape to `onCancel`.
   */
  constructor(mode, container, size, strings, onCancel) {
    const body = document.body;
    if (!body) throw invalid("the page has no <body>");
    const full = size === "05";
    const overlay = mode === "modal";
    this.size = size;
    // Whatever had focus (HTML or SVG) has a focus() method to give it back.
    this.previousFocus = document.activeElement;
    // A modal sits above everything; inline goes into the container, and full
    // screen (05) fills that: the container inline, the viewport in a modal.
    const root = overlay
      ? element("div", "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(15,20,30,.55);margin:0;padding:0")
      : full
        ? element("div", "position:relative;width:100%;height:100%")
        : element("div", "display:inline-flex;flex-direction:column;align-items:stretch;max-width:100%");
    root.setAttribute("data-threeds-challenge", size);
    root.setAttribute("lang", strings.tag);
    let dialog = root;
    if (overlay) {
      dialog = element(
        "div",
        full
          ? "position:relative;width:100vw;height:100vh;background:#fff"
          : "position:relative;display:flex;flex-direction:column;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.35)",
      );
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      root.append(dialog);
    } else {
      root.setAttribute("role", "region");
    }
    dialog.setAttribute("aria-label", strings.dialogLabel);
    // Full screen: over the frame's top end corner (right, or left in a
    // right-to-left page), so the frame keeps every pixel.
    const bar = element(
      "div",
      full
        ? "position:absolute;top:8px;inset-inline-end:8px;z-index:1"
        : `display:flex;align-items:center;justify-content:space-between;height:${BAR_HEIGHT}px;padding:0 8px;box-sizing:border-box;font:14px system-ui,sans-serif;color:#334;background:#f4f5f8`,
    );
    if (!full) {
      const label = element("span", "");
      label.textContent = strings.dialogLabel;
      bar.append(label);
    }
    const cancel = element("button", "font:14px system-ui,sans-serif;padding:6px 12px;border:1px solid #99a;border-radius:6px;background:#fff;cursor:pointer");
    cancel.type = "button";
    cancel.setAttribute("data-threeds-cancel", "");
    cancel.textContent = strings.cancel;
    bar.append(cancel);
    this.slot = element("div", full ? "display:block;line-height:0;width:100%;height:100%" : "display:block;line-height:0");
    if (full || !overlay) dialog.append(this.slot, bar);
    else dialog.append(bar, this.slot);
    (overlay ? body : container).append(root);
    // A modal makes the page behind inert: no focus, no clicks, hidden from assistive tech.
    this.inerted = [];
    if (overlay) {
      for (const child of body.children) {
        if (child !== root && !child.hasAttribute("inert")) {
          child.setAttribute("inert", "");
          this.inerted.push(child);
        }
      }
    }
    this.listening = new AbortController();
    const { signal } = this.listening;
    cancel.addEventListener("click", () => onCancel(), { signal });
    // On the challenge's own root: a key pressed elsewhere on the page never reaches it.
    root.addEventListener("keydown", (event) => event.key === "Escape" && onCancel(), { signal });
    this.root = root;
  }

  /** The frame's CSS pixels: the spec size, or for 05 what it fills. */
  frameSize() {
    return WINDOW_SIZES[this.size] ?? [Math.max(0, this.slot.clientWidth), Math.max(0, this.slot.clientHeight)];
  }

  /**
   * Sizes the host frame exactly (no border, so the box is the size) and focuses
   * it: a spec size through its width and height attributes, 05 by filling its room.
   */
  sizeFrame(frame) {
    const dimensions = WINDOW_SIZES[this.size];
    if (dimensions) {
      frame.style.cssText = "display:block;border:0;margin:0;padding:0";
      [frame.width, frame.height] = dimensions;
    } else {
      frame.style.cssText = "display:block;border:0;margin:0;padding:0;width:100%;height:100%";
    }
    frame.focus();
  }

  /** Takes the UI out (its listeners with it) and gives the page back its inert elements and focus. */
  remove() {
    this.listening.abort();
    this.root.remove();
    for (const element of this.inerted) element.removeAttribute("inert");
    this.previousFocus?.focus?.();
  }
}
