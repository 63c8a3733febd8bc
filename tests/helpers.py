"""Helpers the tests share."""


def admin_post_data(form, **changes):
    """What the admin's change form would post back unchanged (from its initial values), with
    ``changes`` applied."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(changes)
    return data
