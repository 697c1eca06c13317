"""Report models built from values already typed (`typed`): the write-up's parts, without validating them again.

Here, in a compiled module, so that the compiled write-up calls it natively (report.py, with its pydantic models,
stays Python)."""

from __future__ import annotations

from typing import Any, Final, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

# A frozen model's own __setattr__ refuses, so its __dict__ and slots are set through BaseModel's own descriptors
# (what `object.__setattr__` finds for them, without looking them up and checking the call every time).
_new: Final = object.__new__
_set_dict: Final = BaseModel.__dict__["__dict__"].__set__
_set_fields_set: Final = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra: Final = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private: Final = BaseModel.__dict__["__pydantic_private__"].__set__
_FIELDS: Final[dict[type, frozenset[str]]] = {}  # per report model class, its fields (a few classes; set once each)


def typed(cls: type[M], given: dict[str, Any], **defaults: Any) -> M:
    """The `cls` of `given`, values already of their fields' types and in the fields' order, the fields named last
    left at `defaults` (unset, as validation leaves them): what `model_construct` makes, without its loop over the
    fields, at a fifth of validating's cost. The write-up builds its parts typed (tests compare them validated)."""
    model: M = _new(cls)
    _set_dict(model, {**given, **defaults} if defaults else given)
    every = _FIELDS.get(cls)
    if every is None:
        every = _FIELDS[cls] = frozenset(cls.model_fields)
    # given names fields only: as many as the model has are all of them, and a set copied from a set costs a
    # third of one built from a dict's keys (each model gets its own: pydantic's model_copy updates it)
    _set_fields_set(model, set(every) if len(given) == len(every) else set(given))
    _set_extra(model, None)
    _set_private(model, None)
    return model
