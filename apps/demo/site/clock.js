// The clock page: one EventSource on /events, one tick event a second (demo::clock_h).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const events = new EventSource("/events");
  const lines = [];
  let count = 0;

  events.addEventListener("open", () => {
    $("status").textContent = "connected: new EventSource(\"/events\")";
  });

  events.addEventListener("tick", (e) => {
    const tick = JSON.parse(e.data);
    count += 1;
    $("face").textContent = new Date(tick.utc).toLocaleTimeString([], { hour12: false });
    $("count").textContent = String(count);
    $("last-id").textContent = e.lastEventId;
    $("utc").textContent = tick.utc.slice(11, 19);
    $("proto").textContent = tick.protocol;
    lines.push("id: " + e.lastEventId + "\nevent: tick\ndata: " + e.data);
    while (lines.length > 4) lines.shift();
    $("log").textContent = lines.join("\n\n");
  });

  events.addEventListener("error", () => {
    $("status").textContent = "disconnected; the browser retries and sends last-event-id";
  });
})();
