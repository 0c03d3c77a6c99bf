// Loaded as a module, so it runs only in browsers GOV.UK Frontend supports: the pages
// work fully without it. No inline script anywhere (strict Content Security Policy).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
