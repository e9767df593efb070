from dean06.registry.models.organisations import Organisation
from dean06.registry.models.population import Household, Person
from dean06.registry.models.units import AdministrativeUnit, UnitSuccession

__all__ = ["AdministrativeUnit", "Household", "Organisation", "Person", "UnitSuccession"]
