// The what-if page's script: recalculate on a change, keep the state in the URL, load
// explanations and sweeps. The server renders every figure; this only asks and swaps.
"use strict";
(function () {
  const form = document.getElementById("whatif");
  const results = document.getElementById("results-body");
  const fields = () => Array.from(form.querySelectorAll("input[data-baseline]"));

  function state() {
    const query = new URLSearchParams();
    // The year the page shows: choosing another one does nothing until "Show this year".
    query.set("year", form.elements.year.dataset.current || form.elements.year.value);
    for (const input of fields()) {
      const value = input.value.trim();
      if (value !== input.dataset.baseline) query.append(input.name, value);
    }
    if (form.elements.budget_neutral.checked) query.set("budget_neutral", "yes");
    return query;
  }

  function showErrors(errors) {
    for (const box of document.querySelectorAll(".field")) {
      const input = box.querySelector("input, select");
      const message = box.querySelector(".error");
      if (!input || !message) continue;
      const text = errors[input.name] || "";
      message.textContent = text;
      box.classList.toggle("invalid", Boolean(text));
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  function markChanged() {
    for (const input of fields()) {
      input.closest(".field").classList.toggle("changed", input.value.trim() !== input.dataset.baseline);
    }
  }

  let asked = 0;
  async function recalculate() {
    const query = state();
    const mine = ++asked;
    document.body.classList.add("busy");
    try {
      const response = await fetch("/page/results?" + query.toString(), { headers: { Accept: "text/html" } });
      if (mine !== asked) return;
      if (response.ok) {
        results.innerHTML = await response.text();
        showErrors({});
        markChanged();
        history.replaceState(null, "", "/?" + query.toString());
      } else {
        const answer = await response.json().catch(() => ({ error: "The server could not answer." }));
        showErrors(answer.fields || { year: answer.error });
      }
    } finally {
      if (mine === asked) document.body.classList.remove("busy");
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
  results.addEventListener("click", async (event) => {
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
      const answer = await response.json().catch(() => ({ error: "The server could not answer." }));
      explanation.textContent = answer.error;
    }
    document.getElementById("explanation").focus();
  });

  const sweepForm = document.getElementById("sweep-form");
  if (sweepForm) {
    const sweepResult = document.getElementById("sweep-result");
    sweepForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const query = state();
      for (const name of ["sweep_parameter", "sweep_from", "sweep_to", "sweep_steps"]) {
        query.set(name, sweepForm.elements[name].value.trim());
      }
      const response = await fetch("/page/sweep?" + query.toString());
      const errors = {};
      if (response.ok) {
        sweepResult.innerHTML = await response.text();
      } else {
        const answer = await response.json().catch(() => ({ error: "The server could not answer." }));
        Object.assign(errors, answer.fields || { sweep_parameter: answer.error });
      }
      for (const name of ["sweep_parameter", "sweep_from", "sweep_to", "sweep_steps"]) {
        const box = document.getElementById(name + "-error");
        box.textContent = errors[name] || "";
        box.closest(".field").classList.toggle("invalid", Boolean(errors[name]));
      }
    });
  }
})();
