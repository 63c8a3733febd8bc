"""The REST API of the organisation and the calendar, and what every API module shares:
token authentication, the exception handler, pagination and the schema conventions."""
