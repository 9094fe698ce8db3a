"""Simulations built from arrays, and what a formula reads of who is in which group.

OpenFisca builds a simulation by parsing a situation (a dict of entities by id); for the few
hundred authorities of a year that is several times slower than setting the populations' ids
and memberships from numpy arrays, and a sweep builds a million entities. These functions set
and read the population internals that makes possible, here only.
"""

from __future__ import annotations

import numpy


def simulation_from_arrays(system, ids: dict, memberships: dict):
    """A simulation whose entities are given as arrays, without OpenFisca's situation parser.

    ``ids`` gives each entity's ids (its plural as key); ``memberships`` gives, for each group
    entity, the index of the group each member (a local authority) belongs to. Every member takes
    the group's first role.
    """
    from openfisca_core.simulations import Simulation

    populations = system.instantiate_entities()
    for population in populations.values():
        plural = population.entity.plural
        population.ids = ids[plural]
        population.count = len(ids[plural])
        if plural in memberships:
            population.members_entity_id = numpy.asarray(memberships[plural])
    return Simulation(system, populations)


def ids(simulation, plural: str):
    """The ids of an entity's instances, in the simulation's order."""
    return simulation.get_population(plural).ids


def index_of(simulation, plural: str, instance_id: str) -> int:
    """The position of one instance among its entity's, for reading it out of an array.

    (Not the population's ``get_index``, which needs its ids as a list, not an array.)
    """
    found = numpy.flatnonzero(numpy.asarray(ids(simulation, plural)) == instance_id)
    if not found.size:
        raise KeyError(f"{plural} has no {instance_id!r}")
    return int(found[0])


def group_count(entity, group_key: str) -> int:
    """How many instances of the group entity ``group_key`` the simulation of ``entity`` has."""
    return entity.simulation.populations[group_key].count


def group_of_each_member(entity, group_key: str) -> numpy.ndarray:
    """For each member of the simulation (each authority), the index of its ``group_key`` group."""
    return entity.simulation.populations[group_key].members_entity_id


def first_member_of_its_group(entity, group_key: str) -> numpy.ndarray:
    """For each member of the simulation, whether it is the first of its ``group_key`` group."""
    return entity.simulation.populations[group_key].members_position == 0
