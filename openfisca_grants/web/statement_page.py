"""The page a council's finance officer opens first: every payment to one body in a year
(``use_cases.statement``), as a GET form, so that a link names the question."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from openfisca_grants import determinations, use_cases
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import format_pounds

routes = Blueprint("grants_statement", __name__)

MAX_FIELD = 200  # as the page's fields: a body's name is never longer


@routes.get("/statement")
def statement_page():
    years = sorted({d.financial_year.label for d in determinations.catalogue()})
    year = request.args.get("year", years[-1] if years else "")
    body = request.args.get("body", "")
    errors: dict[str, str] = {}
    found = None
    if "body" in request.args:
        asked = request.args.get("determination", "")
        if len(year) > MAX_FIELD or len(body) > MAX_FIELD:
            field = "year" if len(year) > MAX_FIELD else "body"
            errors[field] = f"At most {MAX_FIELD} characters."
        else:
            try:
                # The determination a link asks for, if any, is kept; a refusal names the page's fields.
                whatif = use_cases.what_if(year, determination=asked or None, words=use_cases.HTTP)
            except RulesCannotAnswer as error:
                errors["year"] = str(error)
            else:
                try:
                    found = use_cases.statement(whatif, body)
                except RulesCannotAnswer as error:
                    errors["body"] = str(error)
    page = render_template(
        "grants_statement.html",
        years=years,
        year=year,
        body=body[:MAX_FIELD],
        errors=errors,
        statement=found,
        pounds=format_pounds,
        draft_label=determinations.DRAFT_LABEL,
    )
    return page, 400 if errors else 200
