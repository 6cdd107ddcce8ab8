// evrak staff page: progress polling and the decision form. No inline script (CSP).
"use strict";

function setBar(bar, percent) {
  if (bar) { bar.style.width = Math.max(0, Math.min(100, percent)) + "%"; }
}

function pollJob(box) {
  const url = box.dataset.pollUrl;
  const tick = () => fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then((r) => r.json())
    .then((s) => {
      const state = document.getElementById("job-state");
      state.textContent = s.state_label;
      state.dataset.state = s.state;
      if (s.error) { document.getElementById("job-error").textContent = s.error; }
      if (s.final) {
        const bar = document.getElementById("job-bar");
        bar.classList.remove("indeterminate");
        setBar(bar, 100);
        if (s.url) { window.location.assign(s.url); }
        return;
      }
      window.setTimeout(tick, 1000);
    })
    .catch(() => window.setTimeout(tick, 3000));
  tick();
}

function pollBatch(box) {
  const url = box.dataset.batchPollUrl;
  const set = (id, v) => { const el = document.getElementById(id); if (el) { el.textContent = v; } };
  const tick = () => fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then((r) => r.json())
    .then((p) => {
      setBar(document.getElementById("batch-bar"), p.percent);
      set("batch-state", p.state_label);
      document.getElementById("batch-state").dataset.state = p.state;
      set("batch-percent", p.percent);
      set("batch-rows", p.rows_done);
      set("batch-parts", p.parts_done);
      set("batch-docs", p.documents);
      set("batch-errors", p.errors);
      const msgs = document.getElementById("batch-messages");
      msgs.replaceChildren(...p.messages.map((m) => { const li = document.createElement("li"); li.textContent = m; return li; }));
      if (p.state !== "running") {
        document.getElementById("batch-downloads").hidden = false;
        return;
      }
      window.setTimeout(tick, 1000);
    })
    .catch(() => window.setTimeout(tick, 3000));
  tick();
}

function decisionForms() {
  document.querySelectorAll("form.decision-form").forEach((form) => {
    const fields = form.querySelector(".uphold-fields");
    const sync = () => {
      const chosen = form.querySelector("input[name=action]:checked");
      fields.hidden = !(chosen && chosen.value === "uphold");
    };
    form.querySelectorAll("input[name=action]").forEach((r) => r.addEventListener("change", sync));
    sync();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".bar[data-percent]").forEach((b) => setBar(b, Number(b.dataset.percent)));
  const job = document.getElementById("job");
  if (job && job.dataset.pollUrl && document.getElementById("job-state").dataset.state !== "done") {
    pollJob(job);
  }
  const batch = document.getElementById("batch");
  if (batch && document.getElementById("batch-state").dataset.state === "running") { pollBatch(batch); }
  decisionForms();
});
