"""The one error of ``crmkg import``, shared by every stage (reading, mapping, writing)."""


class ImportFailure(ValueError):
    """The file cannot be imported, or DIR cannot be written: the message says why."""
