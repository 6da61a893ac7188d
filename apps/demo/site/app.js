// The push panel of the demo's home page: what the server promises for "/" (from /push-info),
// what this browser loaded (Resource Timing), and, honestly, why the two differ.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }

  // A same-origin URL as the path the server saw; anything else as is.
  function pathOf(url) {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? u.pathname + u.search : url;
  }

  function protocolName(p) {
    return { "h2": "HTTP/2", "http/1.1": "HTTP/1.1", "h3": "HTTP/3" }[p] || p || "unknown";
  }

  function verdict(protocol, info) {
    const n = info.pushes.length;
    const what = n === 1 ? "1 asset" : n + " assets";
    if (protocol === "h2") {
      return "This page came over HTTP/2, and the server asked to push " + what + " with it. " +
        "Your browser refused: browsers send SETTINGS_ENABLE_PUSH = 0 since Chrome 106 and " +
        "Firefox 132, so each promise was skipped (reason disabled_by_client) and your browser " +
        "fetched the assets itself. API clients that accept push, like nghttp, receive a " +
        "PUSH_PROMISE for each of them.";
    }
    if (protocol === "http/1.1") {
      return "This page came over HTTP/1.1, which has no push: the server skipped its " + what +
        " (reason http1) and your browser fetched them itself. Over HTTP/2, a client that " +
        "accepts push receives a PUSH_PROMISE for each of them.";
    }
    return "Your browser did not say which protocol carried this page. Over HTTP/2, a client " +
      "that accepts push receives a PUSH_PROMISE for each of the " + what + " listed here.";
  }

  function showPromised(info, loadedPaths) {
    const list = $("promised");
    list.replaceChildren();
    for (const asset of info.pushes) {
      const fetched = loadedPaths.has(asset);
      list.append(el("li", {}, asset,
        el("span", { class: "tag" }, fetched ? "your browser fetched it" : "not loaded here")));
    }
    if (!info.pushes.length) list.append(el("li", { class: "muted" }, "nothing: no manifest entry for /"));
  }

  function showLoaded(entries) {
    const body = $("loaded");
    body.replaceChildren();
    const nav = performance.getEntriesByType("navigation")[0];
    const rows = nav ? [nav, ...entries] : entries;
    for (const e of rows) {
      const bytes = e.transferSize || e.encodedBodySize || 0;
      body.append(el("tr", {},
        el("td", {}, pathOf(e.name)),
        el("td", {}, how(e)),
        el("td", {}, protocolName(e.nextHopProtocol)),
        el("td", {}, bytes ? bytes.toLocaleString() : "–"),
        // Until the last byte: the navigation's own duration runs to the load event's end,
        // which has not happened while this runs.
        el("td", {}, (e.responseEnd - e.startTime).toFixed(1))));
    }
  }

  // How the browser got a resource: preloaded from a 103 Early Hints link (the server's
  // fallback when the browser refuses push, as Chromium does), or fetched when the page asked.
  function how(e) {
    return e.initiatorType === "early-hints" ? "103 hint" : "fetched";
  }

  function showFunnel(metrics) {
    const funnel = $("funnel");
    funnel.replaceChildren();
    if (!metrics) {
      funnel.append(el("div", {}, el("dt", {}, "metrics"), el("dd", {}, "n/a")));
      return;
    }
    const items = [["requested", metrics.requested], ["promised", metrics.promised],
                   ["hinted (103)", metrics.hinted],
                   ["completed", metrics.completed], ["cancelled", metrics.cancelled]];
    // The reasons a browser meets are always shown; the others when they happened.
    const short = { http1: "HTTP/1.1", disabled_by_client: "push off" };
    for (const [why, count] of Object.entries(metrics.skipped)) {
      if (count || why in short)
        items.push(["skipped: " + (short[why] || why.replaceAll("_", " ")), count]);
    }
    for (const [name, value] of items)
      funnel.append(el("div", {}, el("dt", {}, name), el("dd", {}, String(value))));
  }

  async function run() {
    const nav = performance.getEntriesByType("navigation")[0];
    const protocol = nav ? nav.nextHopProtocol : "";
    $("try").textContent = "nghttp -nav " + location.origin + "/";
    const entries = performance.getEntriesByType("resource")
      .filter((e) => e.initiatorType !== "fetch" && e.initiatorType !== "xmlhttprequest");
    showLoaded(entries);
    try {
      const response = await fetch("/push-info?page=/", { cache: "no-store" });
      if (!response.ok) throw new Error("/push-info answered " + response.status);
      const info = await response.json();
      $("verdict").textContent = verdict(protocol, info);
      showPromised(info, new Set(entries.map((e) => pathOf(e.name))));
      showFunnel(info.metrics);
    } catch (err) {
      $("verdict").textContent = "Could not read /push-info: " + err.message;
    }
  }

  if (document.readyState === "complete") run();
  else window.addEventListener("load", run);
})();
