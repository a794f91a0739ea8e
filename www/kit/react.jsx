// React bindings for threeds-web: a hook that loads the SDK once and destroys it on
// unmount, and a component that shows a challenge inline in its own element.
//
// StrictMode mounts, unmounts and mounts again at once in development: cleanups are
// deferred by a zero-delay timer, so that second mount takes over the running client or
// challenge instead of loading or starting a second one.

import { useEffect, useRef, useState } from "react";
import { ThreeDS, preload } from "./threeds-web.js";

/** Runs `start` for `key`; keeps its result across an immediate unmount + mount (StrictMode). */
function useKeptEffect(key, start) {
  const kept = useRef(null);
  useEffect(() => {
    const previous = kept.current;
    if (previous && previous.key === key && previous.timer !== null) {
      clearTimeout(previous.timer);
      previous.timer = null;
    } else {
      if (previous) previous.stop();
      kept.current = { key, stop: start(), timer: null };
    }
    const current = kept.current;
    return () => {
      current.timer = setTimeout(() => {
        current.timer = null;
        if (kept.current === current) kept.current = null;
        current.stop();
      }, 0);
    };
  }, [key]);
}

/**
 * Loads the SDK (`ThreeDS.load(options)`) and returns `{ client, error, ready }`.
 * The client is destroyed on unmount, or when the options change.
 */
export function useThreeDS(options) {
  const load = options;
  const [state, setState] = useState({ client: null, error: null, ready: false });
  const key = JSON.stringify(load);
  useKeptEffect(key, () => {
    let stopped = false;
    let client = null;
    // The host frame starts at once, and ThreeDS.load takes it. Options preload
    // refuses, ThreeDS.load rejects too: the state shows that error.
    let unpreload = () => {};
    try {
      unpreload = preload({ hostUrl: load.hostUrl, locale: load.locale });
    } catch {}
    ThreeDS.load(load)
      .then(
        (loaded) => {
          if (!loaded) return;
          if (stopped) return loaded.destroy();
          client = loaded;
          setState({ client, error: null, ready: true });
        },
        (error) => {
          unpreload(); // a rejected load removed it already
          stopped || setState({ client: null, error, ready: false });
        },
      );
    return () => {
      stopped = true;
      unpreload(); // nothing once a client has taken the frame
      if (client) {
        client.destroy();
        setState({ client: null, error: null, ready: false });
      }
    };
  });
  return state;
}

/**
 * Shows a challenge inline in its own element, and cancels it on unmount.
 * `options` picks the call: `url` -> presentAuthentication, `acsURL` -> challenge,
 * otherwise startChallenge (the session API). `mode` is always `inline`.
 * `onComplete(result)` / `onError(error)` are called once; an unmount before the
 * end calls neither.
 */
export function ThreeDSChallenge({ client, options, onComplete, onError, className, style }) {
  const element = useRef(null);
  const callbacks = useRef({ onComplete, onError });
  callbacks.current = { onComplete, onError };
  useKeptEffect(client ? JSON.stringify(options) : null, () => {
    if (!client) return () => {};
    let running = true;
    const flow = { ...options, mode: "inline", container: element.current };
    const call = options.url ? "presentAuthentication" : options.acsURL ? "challenge" : "startChallenge";
    client[call](flow).then(
      (result) => running && ((running = false), callbacks.current.onComplete?.(result)),
      (error) => running && ((running = false), callbacks.current.onError?.(error)),
    );
    return () => {
      if (running) {
        running = false;
        client.cancel();
      }
    };
  });
  return <div ref={element} className={className} style={style} data-threeds-react-challenge="" />;
}
