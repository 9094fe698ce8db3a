"""Sphinx extension: write the reference pages from the loaded rules, so they cannot drift.

On ``builder-inited`` it loads the tax-benefit system, reconciles every determination and
writes reStructuredText into ``docs/generated/``: one page per determination (its Annex A,
published beside computed, each row linked to its rules), one page of parameters and one of
variables per determination (each linked back to the Annex A rows they serve), the register of
authorities, and the charts. Nothing in ``generated/`` is edited by hand or committed.
"""

from __future__ import annotations

import inspect
import pathlib
import textwrap

from openfisca_core.periods import DateUnit

from openfisca_grants import determinations
from openfisca_grants.money import MONEY_DTYPE, MONEY_UNIT, format_pounds, to_pence
from openfisca_grants.openfisca_adapter import argparse_options, tracing
from openfisca_grants.openfisca_adapter import variables as adapted_variables
from openfisca_grants.reforms import leaves, letter_wording, source_of
from openfisca_grants.register import register
from openfisca_grants.simulation import build_simulation, tax_benefit_system
from openfisca_grants.use_cases import reconcile

OUT = pathlib.Path(__file__).resolve().parent.parent / "generated"


# ---- labels: every page links by these ----------------------------------------------------


def param_label(path: str) -> str:
    return "param-" + path.replace(".", "-").replace("_", "-").lower()


def var_label(name: str) -> str:
    return "var-" + name.replace("_", "-")


def anchor(number: str) -> str:
    return number.replace("/", "-").lower()


def row_label(number: str, row) -> str:
    return f"annex-{anchor(number)}-row-{row}"


def page_of(determination) -> str:
    return determination.key


# ---- reStructuredText helpers ---------------------------------------------------------------


def heading(text: str, mark: str = "=") -> str:
    return f"{text}\n{mark * len(text)}\n"


def escape(text) -> str:
    return str(text).replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("|", "\\|")


def table(headers: list[str], rows: list[list[str]], widths: str = "") -> str:
    lines = [".. list-table::", "   :header-rows: 1"]
    if widths:
        lines.append(f"   :widths: {widths}")
    lines.append("")
    for row in [headers, *rows]:
        first, *rest = row
        lines.append(f"   * - {first or ' '}")
        lines += [f"     - {cell or ' '}" for cell in rest]
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """The letter's (or the code's) words, set apart as a pull-quote."""
    return (
        ".. pull-quote::\n\n" + textwrap.indent(textwrap.fill(" ".join(str(text).split()), 90), "   ") + "\n"
    )


def shown(value, unit: str) -> str:
    if value is None:
        return "*no value* (the determination governs no later year)"
    if unit == MONEY_UNIT:
        return format_pounds(to_pence(value))
    return f"``{value}``"


# ---- what reads what --------------------------------------------------------------------------


def parameters_read() -> dict[str, set[str]]:
    """For each variable, the parameters its formula reads, found by tracing every year."""
    system = tax_benefit_system()
    reads: dict[str, set[str]] = {}
    for determination in determinations.catalogue():
        year = determination.financial_year
        simulation = build_simulation(year)
        tracing.start_tracing(simulation)
        for name, variable in system.variables.items():
            if variable.definition_period == DateUnit.YEAR and adapted_variables.formulas(variable):
                try:
                    simulation.calculate(name, year.period)
                except Exception:  # noqa: BLE001 - a variable of another year: nothing to record
                    continue
        for name, read in tracing.parameters_read_by_variable(simulation).items():
            reads.setdefault(name, set()).update(read)
    return reads


def variables_of(module: str) -> list[str]:
    """The variables a module of ``variables/`` defines (by their source file)."""
    return [
        name
        for name, variable in tax_benefit_system().variables.items()
        if (variable.introspection_data or ("",))[0].endswith(module)
    ]


# ---- determination pages ----------------------------------------------------------------------


def draft_warning(determination) -> str:
    """The label a draft carries wherever it appears."""
    if not determination.is_draft:
        return ""
    not_carried = "".join(
        f" Not carried from {determination.draft_of}: {escape(w)}" for w in determination.not_carried
    )
    return (
        f".. warning::\n\n   {determinations.DRAFT_LABEL.capitalize()}: {escape(determination.number)} "
        f"models {determination.financial_year.label} with the rules of {determination.draft_of}; no letter "
        f"has determined it.{not_carried}\n"
    )


def determination_page(determination, result, reading) -> str:
    year = determination.financial_year
    letter = determination.letter
    grant = determination.grant_variable
    out = [
        f".. _{page_of(determination)}:\n",
        heading(f"Determination {determination.label}"),
        draft_warning(determination),
        f"*{escape(determination.title)}*\n",
        table(
            ["", "Determination"],
            [
                ["Number", escape(determination.number)],
                ["Status", "published" if not determination.is_draft else determinations.DRAFT_LABEL],
                ["Financial year", f"{year.label} (OpenFisca period ``year:{year.start_year}-04``)"],
                ["Letter", f"{letter.date}, signed by {escape(letter.signed_by)}" if letter.file else "none"],
                ["Made by", escape(letter.made_by) if letter.file else "no one yet: a draft"],
                ["Legal basis", escape(letter.legal_basis)],
                ["Paid to", determination.payee.paid_to],
                ["Payment", escape(determination.payment.text)],
                ["Grant variable", f":ref:`{grant} <{var_label(grant)}>`"],
                [
                    "Letter's text",
                    f"``openfisca_grants/sources/{letter.file}``" if letter.file else "none (a draft)",
                ],
            ],
            widths="20 80",
        ),
        f".. _annex-{anchor(determination.number)}:\n",
        heading("Annex A, published and computed" if not determination.is_draft else "Amounts (draft)", "-"),
        "Each row as the letter prints it, the amount published, the amount the encoded rules "
        "compute, and the rules behind it. Money is compared in whole pence.\n"
        if not determination.is_draft
        else "The amount the rules compute for each body paid; no letter has published any.\n",
    ]
    has_formula = any(line.formula_pence is not None for line in result.lines)
    headers = ["Row", "Body (as Annex A names it)", "GSS code", "Published", "Computed", "Difference"]
    if has_formula:
        headers += ["Formula", "Adjustment"]
    headers.append("Rules behind it")
    rows = []
    for line in result.lines:
        cells = [
            f"{line.row}" if line.row else ("Total" if line.kind == "total" else ""),
            escape(line.body),
            line.gss_code,
            format_pounds(line.published_pence) if line.published_pence is not None else "",
            format_pounds(line.computed_pence),
            format_pounds(line.difference_pence) if line.difference_pence is not None else "",
        ]
        if has_formula:
            cells += [
                format_pounds(line.formula_pence) if line.formula_pence is not None else "",
                format_pounds(line.adjustment_pence) if line.adjustment_pence is not None else "",
            ]
        cells.append(rules_behind(determination, line))
        if line.row:
            cells[0] = f":ref:`{line.row} <{row_label(determination.number, line.row)}>`"
        rows.append(cells)
    widths = "5 22 10 11 11 9 11 9 12" if has_formula else "5 30 12 14 14 11 14"
    out.append(table(headers, rows, widths=widths))
    out.append(row_targets(determination, result))
    if determination.annex_a.components:
        out.append(components_section(determination))
    adjusted = [line for line in result.lines if line.adjustment_name]
    if adjusted:
        out.append(heading("Named adjustments", "-"))
        for line in adjusted:
            link = f":ref:`parameter <{param_label(adjustment_path(determination, line.adjustment_name))}>`"
            out.append(f"**{line.adjustment_name}** (Annex A row {line.row}, {link}): {escape(line.note)}\n")
    if result.checks:
        out.append(heading("Checks of the letter's own figures", "-"))
        out.append(
            table(
                ["Check", "Working", "Stated", "Worked out", "Result"],
                [
                    [
                        escape(c.name),
                        escape(c.working),
                        format_pounds(c.stated_pence),
                        format_pounds(c.worked_out_pence),
                        escape(c.status),
                    ]
                    for c in result.checks
                ],
            )
        )
    out.append(
        f"See also: :ref:`the parameters of {determination.number} <params-{determination.key}>`, "
        f":ref:`its variables <vars-{determination.key}>`.\n"
    )
    return "\n".join(out)


def rules_behind(determination, line) -> str:
    if line.kind == "total":
        total = determination.total_variable
        return f":ref:`{total} <{var_label(total)}>`"
    grant = determination.grant_variable
    links = []
    if determination.annex_a.amounts:
        path = f"{determination.parameters_path}.{determination.annex_a.amounts}.{line.gss_code}"
        links.append(f":ref:`{determination.annex_a.amounts}.{line.gss_code} <{param_label(path)}>`")
    links.append(f":ref:`{grant} <{var_label(grant)}>`")
    if determination.annex_a.components:
        links.append(f":ref:`components <components-{anchor(determination.number)}>`")
    if line.adjustment_name:
        links.append(
            f":ref:`adjustment <{param_label(adjustment_path(determination, line.adjustment_name))}>`"
        )
    return ", ".join(links)


def adjustment_path(determination, name: str) -> str:
    """The parameter of a named Annex A adjustment."""
    relative = determination.annex_a.adjustments
    adjustments = determination.parameter(tax_benefit_system(), relative)
    (key,) = [key for key, child in adjustments.children.items() if child.metadata.get("name") == name]
    return f"{determination.parameters_path}.{relative}.{key}"


def row_targets(determination, result) -> str:
    """A paragraph per Annex A row, as the target that parameter and variable pages link back to."""
    out = [".. rubric:: Rows, one by one\n"]
    for line in result.lines:
        if not line.row or line.published_pence is None:
            continue
        out.append(f".. _{row_label(determination.number, line.row)}:\n")
        text = (
            f"**Row {line.row}**: {escape(line.body)}, {format_pounds(line.published_pence)} published, "
            f"{format_pounds(line.computed_pence)} computed; {rules_behind(determination, line)}."
        )
        out.append(text + "\n")
    return "\n".join(out)


def components_section(determination) -> str:
    system = tax_benefit_system()
    at = determination.financial_year.start.isoformat()
    out = [
        f".. _components-{anchor(determination.number)}:\n",
        heading("The formula, component by component", "-"),
        f"Each amount is the sum of {len(determination.annex_a.components)} components, plus any named "
        "adjustment. Beside each, the letter's own words, and the amounts it states and costs.\n",
    ]
    for folder, variable in determination.annex_a.components:
        component = determination.parameter(system, folder)
        out.append(heading(system.variables[variable].label, "~"))
        out.append(f"Variable :ref:`{variable} <{var_label(variable)}>`. The letter:\n")
        out.append(quote(component.metadata.get("letter_wording", "")))
        rows = []
        for path, parameter in leaves(system).items():
            prefix = f"{determination.parameters_path}.{folder}."
            if not path.startswith(prefix):
                continue
            rows.append(
                [
                    f":ref:`{path[len(prefix) :]} <{param_label(path)}>`",
                    shown(parameter(at), parameter.metadata.get("unit", "")),
                    escape(parameter.description),
                ]
            )
        out.append(table(["Parameter", "Value", "What it is"], rows, widths="30 15 55"))
        for check in determination.costing_checks:
            if check.stated.startswith(f"{folder}.") and check.explanation:
                note = textwrap.indent(textwrap.fill(check.explanation, 90), "   ")
                out.append(f".. note::\n\n{note}\n")
    return "\n".join(out)


# ---- reference pages -----------------------------------------------------------------------------


def parameters_page(determination, reading) -> str:
    system = tax_benefit_system()
    out = [
        f".. _params-{determination.key}:\n",
        heading(f"Parameters of {determination.label}"),
        draft_warning(determination),
        f"Every parameter under ``determinations.{determination.key}``, as the YAML files in "
        f"``parameters/determinations/{determination.key}/`` give it. Back to "
        f":ref:`the determination <{page_of(determination)}>`.\n",
    ]
    for path, parameter in leaves(system).items():
        if path.split(".")[1] != determination.key:
            continue
        unit = parameter.metadata.get("unit", "")
        out.append(f".. _{param_label(path)}:\n")
        out.append(heading(path.split(".", 2)[2], "-"))
        out.append(f"``{path}``: {escape(parameter.description or '')}\n")
        history = [[at.instant_str, shown(at.value, unit)] for at in reversed(parameter.values_list)]
        out.append(table(["From", "Value"], history, widths="30 70"))
        out.append(f"**Unit**: {unit or 'text'}. **Source**: {escape(source_of(system, path))}\n")
        wording = letter_wording(system, path)
        if wording:
            out.append("**The letter's words**:\n\n" + quote(wording))
        row = parameter.metadata.get("annex_a_row")
        links = []
        if row and determination.is_draft:
            links.append(f"carried from Annex A row {row} of {determination.draft_of}")
        elif row:
            links.append(f":ref:`Annex A row {row} <{row_label(determination.number, row)}>`")
        elif reading.get(path):
            annex = f"annex-{anchor(determination.number)}"
            links.append(f":ref:`every row of Annex A <{annex}>`")
        for variable in sorted(reading.get(path, ())):
            links.append(f":ref:`{variable} <{var_label(variable)}>`")
        if links:
            out.append("**Used by**: " + ", ".join(links) + "\n")
        else:
            out.append(
                "**Used by**: no formula reads it: it records the letter's own working, which "
                "``openfisca-grants reconcile`` checks.\n"
            )
    return "\n".join(out)


PERIODS = {"year": "a financial year (``year:YYYY-04``)", "eternity": "eternity (does not change)"}


def variables_page(determination, reads) -> str:
    year = determination.financial_year
    if determination.is_draft:
        (source,) = [d for d in determinations.catalogue() if d.number == determination.draft_of]
        return "\n".join(
            [
                f".. _vars-{determination.key}:\n",
                heading(f"Variables of {determination.label}"),
                draft_warning(determination),
                f"A draft has no variables of its own: the variables of {source.number}, "
                f":ref:`listed here <vars-{source.key}>`, compute {year.label} from the draft's "
                f"parameters (``{determination.parameters_path}``). Back to "
                f":ref:`the draft <{page_of(determination)}>`.\n",
            ]
        )
    return variables_listing(
        determination.variables_module,
        f"vars-{determination.key}",
        f"Variables of {determination.label}",
        draft_warning(determination)
        + f"Each is computed for the financial year only (``year:{year.start_year}-04``); asked for "
        f"any other year it raises an error naming the years encoded. Back to "
        f":ref:`the determination <{page_of(determination)}>`.",
        reads,
    )


def variables_listing(module: str, label: str, title: str, introduction: str, reads) -> str:
    system = tax_benefit_system()
    out = [
        f".. _{label}:\n",
        heading(title),
        f"Every variable of ``variables/{module}``. {introduction}\n",
    ]
    names = variables_of(module)
    for name in names:
        variable = system.variables[name]
        out.append(f".. _{var_label(name)}:\n")
        out.append(heading(name, "-"))
        out.append(f"{escape(variable.label)}\n")
        kind = (
            "money (£, float64 on whole pence)"
            if adapted_variables.storage_dtype(variable) == MONEY_DTYPE
            else variable.value_type.__name__
        )
        reference = (
            variable.reference if isinstance(variable.reference, str) else "; ".join(variable.reference or [])
        )
        out.append(
            table(
                ["", "Variable"],
                [
                    ["Entity", variable.entity.key],
                    ["Period", PERIODS.get(str(variable.definition_period), str(variable.definition_period))],
                    ["Value", kind],
                    ["Source", escape(reference or "")],
                ],
                widths="20 80",
            )
        )
        if variable.documentation:
            out.append(quote(variable.documentation))
        parameters = sorted(reads.get(name, ()))
        if parameters:
            grouped = {}
            for path in parameters:
                parent, _, last = path.rpartition(".")
                is_keyed = (
                    last.startswith("E") and last[1:].isdigit() or last in {r.key for r in register().regions}
                )
                grouped.setdefault(parent if is_keyed else path, []).append(path)
            links = []
            for key, members in grouped.items():
                if len(members) > 1:
                    links.append(f"``{key}.*`` ({len(members)} entries, one per body)")
                else:
                    (member,) = members
                    links.append(f":ref:`{member.split('.', 2)[2]} <{param_label(member)}>`")
            out.append("**Reads the parameters**: " + ", ".join(links) + "\n")
        formulas = [(date, inspect.unwrap(f)) for date, f in adapted_variables.formulas(variable).items()]
        for date, formula in formulas:
            if formula.__name__.startswith("outside"):
                continue
            out.append(
                f"**Formula from {date}**:\n\n.. code-block:: python\n\n"
                + textwrap.indent(textwrap.dedent(inspect.getsource(formula)), "   ")
                + "\n"
            )
    return "\n".join(out)


def register_page() -> str:
    out = [
        ".. _register:\n",
        heading("The register of authorities"),
        "Built from DfE's list of local authorities with children's services duties, copied "
        "verbatim into ``openfisca_grants/register/data/dfe_las.csv`` (source: DfE, "
        "``dfe-analytical-services/dfe-published-data-qa``, ``data/las.csv``, Open Government "
        "Licence v3.0), less DfE's three combined reporting rows and the forces' code ``z``. "
        "It is dated: each authority exists from its date of operation to its date of termination.\n",
    ]
    for determination in determinations.catalogue():
        year = determination.financial_year
        on = year.start
        authorities = register().authorities_on(on)
        out.append(
            heading(f"On 1 April {year.start_year} ({year.label}, determination {determination.number})", "-")
        )
        counts = register().count_by_region(on)
        out.append(
            table(
                ["Region", "ONS code", "Authorities"],
                [[r.name, r.code, str(counts[r.code])] for r in register().regions]
                + [["England", "", str(len(authorities))]],
                widths="40 30 30",
            )
        )
        for region in register().regions:
            members = [a for a in authorities if a.region_code == region.code]
            out.append(
                f"**{region.name}**: " + "; ".join(f"{escape(a.name)} ({a.code})" for a in members) + "\n"
            )
    out.append(heading("Reorganisations since 2016", "-"))
    changes = sorted(
        (
            b
            for b in register().bodies
            if b.has_childrens_services
            and ((b.valid_to and b.valid_to.year >= 2016) or (b.valid_from and b.valid_from.year >= 2016))
        ),
        key=lambda b: (b.valid_to or b.valid_from, b.code),
    )
    rows = []
    for body in changes:
        if body.valid_to and body.valid_to.year >= 2016:
            rows.append([body.valid_to.isoformat(), "ended", f"{escape(body.name)} ({body.code})"])
        if body.valid_from and body.valid_from.year >= 2016:
            rows.append([body.valid_from.isoformat(), "began", f"{escape(body.name)} ({body.code})"])
    rows.sort()
    out.append(table(["Date", "", "Authority"], rows, widths="20 10 70"))
    out.append("Barnsley and Sheffield were given new codes on 1 May 2025 without a change of area.\n")
    out.append(heading("The names the letters use", "-"))
    out.append(
        table(
            ["Letter", "Name as written", "Means", "Note"],
            [
                [
                    n.letter,
                    escape(n.name),
                    f"{escape(register().authority(n.code).name)} ({n.code})",
                    escape(n.note),
                ]
                for n in register().letter_names
            ],
            widths="10 35 30 25",
        )
    )
    out.append("How a name is resolved: :doc:`../design/names`.\n")
    return "\n".join(out)


def charts(config) -> None:
    """The charts the guides show, as ``docs/conf.py`` lists them (``grants_charts``)."""
    from openfisca_grants import use_cases
    from openfisca_grants.charts import comparison_chart, sweep_chart

    root = pathlib.Path(__file__).resolve().parents[2]
    for chart in config:
        if chart["kind"] == "compare":
            whatif = use_cases.what_if(chart["year"], reform=root / chart["reform"])
            changed = {change.path.split(".")[1] for change in whatif.spec.changes}
            # The comparison of the determination the reform changes: a year may hold several.
            (comparison,) = [c for c in use_cases.compare(whatif) if c.determination.key in changed]
            comparison_chart(comparison, OUT / chart["file"])
        else:
            low, high, steps = chart["from"], chart["to"], chart["steps"]
            values = [low + (high - low) * i / (steps - 1) for i in range(steps)]
            result = use_cases.sweep(use_cases.what_if(chart["year"]), chart["parameter"], values)
            sweep_chart(result, OUT / chart["file"])


def catalogue_page() -> str:
    """Every encoded determination, with a table of contents of their pages."""
    rows = [
        [
            f":ref:`{escape(d.number)} <{page_of(d)}>`",
            d.financial_year.label,
            "published" if not d.is_draft else f"**{determinations.DRAFT_LABEL}**",
            escape(d.title),
        ]
        for d in determinations.catalogue()
    ]
    pages = "".join(f"   {page_of(d)}\n" for d in determinations.catalogue())
    return "\n".join(
        [
            ".. _determinations:\n",
            heading("Encoded determinations"),
            table(["Number", "Year", "Status", "Title"], rows, widths="15 10 20 55"),
            f".. toctree::\n   :maxdepth: 1\n\n{pages}",
        ]
    )


def rules_page() -> str:
    """The reference pages of every determination's parameters and variables."""
    pages = "".join(
        f"   {page_of(d)}_parameters\n   {page_of(d)}_variables\n" for d in determinations.catalogue()
    )
    return "\n".join(
        [
            heading("Parameters and variables, by determination"),
            f".. toctree::\n   :maxdepth: 1\n\n{pages}",
        ]
    )


def literal(text: str, language: str = "text") -> str:
    return f".. code-block:: {language}\n\n" + textwrap.indent(text.rstrip() + "\n", "   ") + "\n"


def cli_page() -> str:
    """The command line, from its parser: what ``--help`` prints for each command."""
    from openfisca_grants.cli import parser

    root = parser()
    out = [
        ".. _cli:\n",
        heading("Command line"),
        "Written from the command line's own parser at each build: what ``openfisca-grants --help`` "
        "and ``openfisca-grants COMMAND --help`` print. A refusal is one line on standard error "
        "and exit status 2; ``reconcile`` exits 1 if a published figure differs without a named "
        "adjustment.\n",
        literal(root.format_help()),
    ]
    for name, command in argparse_options.subcommands(root).items():
        out.append(heading(f"openfisca-grants {name}", "-"))
        out.append(literal(command.format_help()))
    return "\n".join(out)


def python_api_page() -> str:
    """The Python API, from its functions' signatures and docstrings."""
    from openfisca_grants import api

    functions = [
        (name, function)
        for name, function in inspect.getmembers(api, inspect.isfunction)
        if function.__module__ == api.__name__ and not name.startswith("_")
    ]
    out = [
        ".. _python-api:\n",
        heading("Python API"),
        "Written from ``openfisca_grants.api`` at each build.\n",
        literal(inspect.getdoc(api), "text"),
    ]
    for name, function in functions:
        out.append(heading(f"api.{name}", "-"))
        out.append(literal(f"api.{name}{inspect.signature(function)}", "python"))
        out.append(escape(inspect.getdoc(function) or "") + "\n")
    return "\n".join(out)


def web_api_page() -> str:
    """The Web API: the routes OpenFisca's app serves for these rules, and the checks before them."""
    from openfisca_grants.web import openfisca_api

    app = openfisca_api.create_app(tax_benefit_system())
    rows = sorted(
        {
            (str(rule), ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})))
            for rule in app.url_map.iter_rules()
        }
    )
    return "\n".join(
        [
            ".. _web-api:\n",
            heading("Web API"),
            "``openfisca serve -c openfisca_grants --port 5000`` serves OpenFisca's Web API for these "
            "rules (routes listed from the app at each build), with every request checked first.\n",
            table(
                ["Route", "Methods"], [[f"``{route}``", methods] for route, methods in rows], widths="60 40"
            ),
            heading("What is checked", "-"),
            literal(inspect.getdoc(openfisca_api)),
            "An example situation: ``openfisca_grants/situation_examples/``. A period of a draft "
            "(a year no letter has determined) is answered with the header "
            f"``X-Grants-Status: {determinations.DRAFT_LABEL}``.\n",
        ]
    )


def write_pages(app=None) -> None:
    OUT.mkdir(exist_ok=True)
    reads = parameters_read()
    reading: dict[str, set[str]] = {}
    for variable, parameters in reads.items():
        for parameter in parameters:
            reading.setdefault(parameter, set()).add(variable)
    results = {r.determination.key: r for r in reconcile()}
    for determination in determinations.catalogue():
        (OUT / f"{determination.key}.rst").write_text(
            determination_page(determination, results[determination.key], reading), encoding="utf-8"
        )
        (OUT / f"{determination.key}_parameters.rst").write_text(
            parameters_page(determination, reading), encoding="utf-8"
        )
        (OUT / f"{determination.key}_variables.rst").write_text(
            variables_page(determination, reads), encoding="utf-8"
        )
    (OUT / "identity_variables.rst").write_text(
        variables_listing(
            "identity.py",
            "vars-identity",
            "Variables that tie entities to the register",
            "Codes are inputs; the number of authorities in a region is counted from the register.",
            reads,
        ),
        encoding="utf-8",
    )
    (OUT / "register.rst").write_text(register_page(), encoding="utf-8")
    (OUT / "determinations.rst").write_text(catalogue_page(), encoding="utf-8")
    (OUT / "rules.rst").write_text(rules_page(), encoding="utf-8")
    (OUT / "cli.rst").write_text(cli_page(), encoding="utf-8")
    (OUT / "python_api.rst").write_text(python_api_page(), encoding="utf-8")
    (OUT / "web_api.rst").write_text(web_api_page(), encoding="utf-8")
    charts(app.config.grants_charts if app is not None else [])


def setup(app):
    app.add_config_value("grants_charts", [], "env")
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "version": "1"}
