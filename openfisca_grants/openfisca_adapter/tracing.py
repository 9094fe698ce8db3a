"""What a calculation computed and read, from OpenFisca's tracer, as plain trees.

``start_tracing`` before calculating; then ``calculations`` gives the tree of each variable
calculated (its value, the parameters its formula read with their values, the variables it
was computed from) and ``parameters_read`` every parameter any formula read. Where only the
latter is wanted, ``start_recording_parameters`` records just that, at a fraction of the cost.
Nothing outside this module reads the tracer's own nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openfisca_core.tracers import SimpleTracer


@dataclass(frozen=True)
class ParameterRead:
    path: str  # dotted, from the root of the parameters ("determinations.KEY....")
    value: object  # as the formula read it (a number, or an array in a sweep)


@dataclass
class Calculation:
    variable: str
    period: str
    value: object  # the variable's array for the period
    parameters: list[ParameterRead] = field(default_factory=list)
    computed_from: list[Calculation] = field(default_factory=list)


def start_tracing(simulation) -> None:
    """Trace every calculation the simulation makes from now on."""
    simulation.trace = True


class _ParametersRead(SimpleTracer):
    """openfisca-core's simple tracer (the stack of calculations its cycle checks read) that also
    keeps the path of every parameter a formula reads: nothing else. Its full tracer builds a
    node, timed, for every calculation, which is a sixth of a new what-if's time."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: set[str] = set()

    def record_parameter_access(self, parameter: str, period, value) -> None:
        self.paths.add(parameter)


def start_recording_parameters(simulation) -> None:
    """Record, from now on, only which parameters the simulation's formulas read, for
    ``parameters_read`` (``calculations`` then refuses: nothing else is kept)."""
    simulation.trace = True  # core then hands formulas their parameters through its tracing wrapper
    simulation.tracer = _ParametersRead()


def calculations(simulation) -> list[Calculation]:
    """The tree of each variable calculated at the top level since tracing started."""
    return [_calculation(node) for node in _full_tracer(simulation).trees]


def calculation_of(simulation, variable: str) -> Calculation:
    """The (first) top-level calculation of ``variable``."""
    return next(tree for tree in calculations(simulation) if tree.variable == variable)


def parameters_read(simulation) -> set[str]:
    """The path of every parameter any traced formula read."""
    tracer = _tracer(simulation)
    if isinstance(tracer, _ParametersRead):
        return set(tracer.paths)
    return {parameter.name for node in tracer.browse_trace() for parameter in node.parameters}


def parameters_read_by_variable(simulation) -> dict[str, set[str]]:
    """For each variable traced, the path of every parameter its formula read."""
    read: dict[str, set[str]] = {}
    for node in _full_tracer(simulation).browse_trace():
        read.setdefault(node.name, set()).update(parameter.name for parameter in node.parameters)
    return read


def _tracer(simulation):
    if not simulation.trace:
        raise RuntimeError("This simulation is not traced: call start_tracing before calculating.")
    return simulation.tracer


def _full_tracer(simulation):
    tracer = _tracer(simulation)
    if isinstance(tracer, _ParametersRead):
        raise RuntimeError("This simulation records only the parameters read: call start_tracing instead.")
    return tracer


def _calculation(node) -> Calculation:
    return Calculation(
        variable=node.name,
        period=str(node.period),
        value=node.value,
        parameters=[ParameterRead(parameter.name, parameter.value) for parameter in node.parameters],
        computed_from=[_calculation(child) for child in node.children],
    )
