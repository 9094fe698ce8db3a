// Tells GOV.UK Frontend's styles that its script can run (the class its components look for).
// A file, not an inline script, so that the Content-Security-Policy allows no inline script.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) document.body.classList.add("govuk-frontend-supported");
