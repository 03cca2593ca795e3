"""Request models of the users, tokens and audit API."""

from typing import Annotated

from pydantic import Field

from beredskap.auth.permissions import Role
from beredskap.validation import Body, Bool, Int, Query, Text


class UserIn(Body):
    username: Text(80, required=True)
    role: Role
    display_name: Text(200) = ""


class UserPatch(Body):
    role: Role | None = None
    active: Bool | None = None


class TokenIn(Body):
    days: Annotated[Int, Field(description="API_TOKEN_DAYS when left out; 0 never expires")] | None = None


class AuditQuery(Query):
    subject: Annotated[str, Field(description="<type>:<id>", max_length=200)] = ""
