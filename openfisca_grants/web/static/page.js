// The what-if page's script: recalculate on a change and put the answer in place, keep the
// state in the link, say every problem beside its field and in the error summary, and load
// explanations and sweeps. The server works out every figure; this only asks and swaps.
"use strict";
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

const form = document.getElementById("whatif");
const answerBody = document.getElementById("answer-body");
const resultsBody = document.getElementById("results-body");
const answer = document.getElementById("answer");
const stale = document.getElementById("stale");
const summarySlot = document.getElementById("error-summary-slot");
const baseTitle = document.title.replace(/^Error: /, "");
let keptQuery = new URLSearchParams(window.location.search).get("kept") || "";
const fields = () => Array.from(form.querySelectorAll("input[data-baseline]"));
// Past this the server's request line would be refused: say so here, naming the longest value.
const MAX_URL = 8000;

const NUMERIC = ["money", "rate", "count"];
const idOf = (name) =>
  ({ year: "year", name: "whatif_name", budget_neutral: "budget_neutral", changes: "rules-title" })[name] ||
  "p-" + name.replace(/\./g, "-");

// Each field's message beside it, as the GOV.UK error pattern writes it ("Error:" for screen
// readers), for the sweep's and the grid's forms alike.
function showFieldErrors(names, errors) {
  for (const name of names) {
    const box = document.getElementById(name + "-error");
    box.replaceChildren();
    if (errors[name]) {
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = "Error:";
      box.append(hidden, " " + errors[name]);
    }
    box.closest(".govuk-form-group").classList.toggle("govuk-form-group--error", Boolean(errors[name]));
  }
}

// A form's answer from the server, shown in place; or its refusals, each beside its field
// (a refusal that names no field goes beside the form's first).
async function showAnswer(path, query, into, names, errors, firstName) {
  if (Object.keys(errors).length) {
    showFieldErrors(names, errors);
    return;
  }
  const response = await fetch(path + "?" + query.toString());
  if (response.ok) {
    into.innerHTML = await response.text();
  } else {
    const reply = await response.json().catch(() => ({ error: "The server could not answer: try again." }));
    Object.assign(errors, reply.fields || { [firstName]: reply.error });
  }
  showFieldErrors(names, errors);
}

// A value as the rules would read it, to tell the letter's own value written another way
// (0.14 for 14%, 80000.00 for £80,000) from a change; null when it is not a number.
function numeric(kind, text) {
  let t = text.trim().replace(/^£/, "").replace(/,/g, "");
  let percent = false;
  if (t.endsWith("%")) {
    percent = true;
    t = t.slice(0, -1).trim();
  }
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const number = Number(t);
  if (kind === "rate") return percent ? number / 100 : number;
  return percent ? null : number;
}

function isLetterValue(input) {
  const value = input.value.trim();
  if (value === input.dataset.baseline) return true;
  const kind = input.dataset.kind;
  if (!NUMERIC.includes(kind)) return value.toLowerCase() === input.dataset.baseline.toLowerCase();
  const mine = numeric(kind, value);
  const letters = numeric(kind, input.dataset.baseline);
  return mine !== null && letters !== null && Math.abs(mine - letters) < 1e-12;
}

function state() {
  const query = new URLSearchParams();
  // The year the page shows: choosing another one does nothing until "Show this year".
  query.set("year", form.elements.year.dataset.current || form.elements.year.value);
  for (const input of fields()) {
    if (!isLetterValue(input)) query.append(input.name, input.value.trim());
  }
  if (form.elements.budget_neutral.checked) query.set("budget_neutral", "yes");
  const name = form.elements.name.value.trim();
  if (name) query.set("name", name);
  // The one determination the link asks for, in a year with several: kept in the link.
  if (form.elements.determination) query.set("determination", form.elements.determination.value);
  if (keptQuery) query.set("kept", keptQuery);
  return query;
}

// The what-if kept as A (its own query), compared side by side with the one on the page (B).
const sideBody = document.getElementById("side-body");
answerBody.addEventListener("click", (event) => {
  const keep = event.target.closest("#keep-as-a");
  const forget = event.target.closest("#forget-a");
  if (!keep && !forget) return;
  keptQuery = keep ? keep.dataset.query : "";
  recalculate().then(() => {
    const target = keptQuery ? document.getElementById("side-title") : document.getElementById("answer");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
});

// Refused here, before sending: what is plainly not a number, or too long to send.
function checkedInBrowser(query) {
  const errors = {};
  for (const input of fields()) {
    const value = input.value.trim();
    if (NUMERIC.includes(input.dataset.kind) && value && numeric(input.dataset.kind, value) === null) {
      errors[input.name] =
        `'${value.slice(0, 40)}' is not a number: write it as the letter does, such as ` +
        (input.dataset.kind === "rate" ? "20% or 0.2." : input.dataset.kind === "money" ? "£80,000 or 80000." : "4.");
    } else if (value === "") {
      errors[input.name] = "Enter a value, or the letter's: " + input.dataset.baseline + ".";
    }
  }
  if (query.toString().length > MAX_URL) {
    const longest = fields().reduce((a, b) => (b.value.length > a.value.length ? b : a));
    errors[longest.name] = `This value is ${longest.value.length.toLocaleString("en-GB")} characters: too long to send. Shorten it.`;
  }
  return errors;
}

function showSummary(errors) {
  const entries = Object.entries(errors);
  if (!entries.length) {
    summarySlot.innerHTML = "";
    document.title = baseTitle;
    return;
  }
  const box = document.createElement("div");
  box.className = "govuk-error-summary";
  box.id = "error-summary";
  box.tabIndex = -1;
  box.innerHTML =
    '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
    '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"></ul></div></div>';
  const list = box.querySelector("ul");
  for (const [name, text] of entries) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "#" + idOf(name);
    link.textContent = text;
    link.addEventListener("click", (event) => {
      const target = document.getElementById(idOf(name));
      if (!target) return;
      event.preventDefault();
      const details = target.closest("details");
      if (details) details.open = true;
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
    item.appendChild(link);
    list.appendChild(item);
  }
  summarySlot.replaceChildren(box);
  document.title = "Error: " + baseTitle;
}

function showErrors(errors) {
  for (const box of form.querySelectorAll(".govuk-form-group")) {
    const input = box.querySelector("input[name], select[name]");
    const message = box.querySelector(".govuk-error-message");
    if (!input || !message) continue;
    const text = errors[input.name] || "";
    message.replaceChildren();
    if (text) {
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = "Error:";
      message.append(hidden, " " + text);
      const details = box.closest("details");
      if (details) details.open = true;
    }
    box.classList.toggle("govuk-form-group--error", Boolean(text));
    input.classList.toggle("govuk-input--error", Boolean(text) && input.classList.contains("govuk-input"));
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  showSummary(errors);
  const invalid = Object.keys(errors).length > 0;
  stale.hidden = !invalid;
  answer.classList.toggle("app-answer--stale", invalid);
}

function markChanged() {
  for (const input of fields()) {
    input.closest(".app-field").classList.toggle("app-field--changed", !isLetterValue(input));
  }
}

let asked = 0;
async function recalculate() {
  const query = state();
  const refused = checkedInBrowser(query);
  if (Object.keys(refused).length) {
    showErrors(refused);
    return;
  }
  const mine = ++asked;
  document.body.classList.add("app-busy");
  try {
    const response = await fetch("/page/results?" + query.toString(), { headers: { Accept: "text/html" } });
    if (mine !== asked) return;
    if (response.ok) {
      const parts = new DOMParser().parseFromString(await response.text(), "text/html");
      answerBody.replaceChildren(...parts.querySelector('[data-part="answer"]').childNodes);
      resultsBody.replaceChildren(...parts.querySelector('[data-part="results"]').childNodes);
      sideBody.replaceChildren(...parts.querySelector('[data-part="side"]').childNodes);
      showErrors({});
      markChanged();
      history.replaceState(null, "", "/?" + query.toString());
    } else {
      const reply = await response.json().catch(() => ({ error: "The server could not answer: try again." }));
      showErrors(reply.fields || { changes: reply.error });
    }
  } catch (error) {
    if (mine === asked) showErrors({ changes: "The server could not be reached: nothing was recalculated." });
  } finally {
    if (mine === asked) document.body.classList.remove("app-busy");
  }
}

// A year is shown on request, not on change: arrowing through a list from the keyboard
// changes it at each step, and the page must not move under the reader (WCAG 3.2.2).
document.getElementById("show-year").addEventListener("click", () => {
  window.location.assign("/?year=" + encodeURIComponent(form.elements.year.value));
});
form.addEventListener("change", (event) => {
  if (event.target.name !== "year") recalculate();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  recalculate();
});

const explanation = document.getElementById("explanation-body");
resultsBody.addEventListener("click", async (event) => {
  const button = event.target.closest("button.explain");
  if (!button) return;
  const query = state();
  query.set("body", button.dataset.body);
  query.set("paid_per", button.dataset.paidPer);
  query.set("determination", button.dataset.determination);
  const response = await fetch("/page/explain?" + query.toString());
  if (response.ok) {
    explanation.innerHTML = await response.text();
  } else {
    const reply = await response.json().catch(() => ({ error: "The server could not answer: try again." }));
    explanation.textContent = reply.error;
  }
  document.getElementById("explanation").focus();
});

const sweepForm = document.getElementById("sweep-form");
if (sweepForm) {
  const sweepResult = document.getElementById("sweep-result");
  const names = ["sweep_parameter", "sweep_from", "sweep_to", "sweep_steps"];
  const chosen = () => sweepForm.elements.sweep_parameter.selectedOptions[0];
  // Defaults follow the chosen rule: a range around its value, written as its field writes it.
  sweepForm.elements.sweep_parameter.addEventListener("change", () => {
    sweepForm.elements.sweep_from.value = chosen().dataset.from;
    sweepForm.elements.sweep_to.value = chosen().dataset.to;
  });
  sweepForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = state();
    const errors = {};
    const kind = chosen().dataset.kind;
    query.set("sweep_parameter", sweepForm.elements.sweep_parameter.value);
    for (const name of ["sweep_from", "sweep_to"]) {
      const text = sweepForm.elements[name].value.trim();
      const number = numeric(kind, text);
      if (number === null) errors[name] = `'${text.slice(0, 40)}' is not a number: write it as the rule's field does.`;
      else query.set(name, String(number));
    }
    query.set("sweep_steps", sweepForm.elements.sweep_steps.value.trim());
    await showAnswer("/page/sweep", query, sweepResult, names, errors, "sweep_parameter");
  });
}

// Two rules together: the grid's own fields, written as the rule fields write them.
const gridForm = document.getElementById("grid-form");
if (gridForm) {
  const gridResult = document.getElementById("grid-result");
  const names = [];
  for (const axis of ["first", "second"]) {
    for (const part of ["", "_from", "_to", "_steps"]) names.push(`grid_${axis}${part}`);
  }
  names.push("grid_body");
  for (const select of gridForm.querySelectorAll(".app-grid-rule")) {
    select.addEventListener("change", () => {
      const chosen = select.selectedOptions[0];
      gridForm.elements[select.name + "_from"].value = chosen.dataset.from;
      gridForm.elements[select.name + "_to"].value = chosen.dataset.to;
    });
  }
  gridForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = state();
    const errors = {};
    for (const axis of ["first", "second"]) {
      const rule = gridForm.elements[`grid_${axis}`];
      const kind = rule.selectedOptions[0].dataset.kind;
      query.set(`grid_${axis}`, rule.value);
      for (const part of ["_from", "_to"]) {
        const text = gridForm.elements[`grid_${axis}${part}`].value.trim();
        const number = numeric(kind, text);
        if (number === null) errors[`grid_${axis}${part}`] = `'${text.slice(0, 40)}' is not a number: write it as the rule's field does.`;
        else query.set(`grid_${axis}${part}`, String(number));
      }
      query.set(`grid_${axis}_steps`, gridForm.elements[`grid_${axis}_steps`].value.trim());
    }
    query.set("grid_body", gridForm.elements.grid_body.value);
    await showAnswer("/page/grid", query, gridResult, names, errors, "grid_first");
  });
}
