from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budgets_write_request import BudgetsWriteRequest
from ...models.entity_budgets import EntityBudgets
from ...models.error import Error
from typing import cast



def _get_kwargs(
    entity_id: str,
    *,
    body: BudgetsWriteRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/entities/{entity_id}/budgets/".format(entity_id=quote(str(entity_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EntityBudgets | Error | None:
    if response.status_code == 200:
        response_200 = EntityBudgets.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())



        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EntityBudgets | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    body: BudgetsWriteRequest,

) -> Response[EntityBudgets | Error]:
    """  GET (members and staff) / PUT (staff) an entity's budgets, with their figures now.

    Args:
        entity_id (str):
        body (BudgetsWriteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityBudgets | Error]
     """


    kwargs = _get_kwargs(
        entity_id=entity_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    body: BudgetsWriteRequest,

) -> EntityBudgets | Error | None:
    """  GET (members and staff) / PUT (staff) an entity's budgets, with their figures now.

    Args:
        entity_id (str):
        body (BudgetsWriteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityBudgets | Error
     """


    return sync_detailed(
        entity_id=entity_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    body: BudgetsWriteRequest,

) -> Response[EntityBudgets | Error]:
    """  GET (members and staff) / PUT (staff) an entity's budgets, with their figures now.

    Args:
        entity_id (str):
        body (BudgetsWriteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityBudgets | Error]
     """


    kwargs = _get_kwargs(
        entity_id=entity_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    body: BudgetsWriteRequest,

) -> EntityBudgets | Error | None:
    """  GET (members and staff) / PUT (staff) an entity's budgets, with their figures now.

    Args:
        entity_id (str):
        body (BudgetsWriteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityBudgets | Error
     """


    return (await asyncio_detailed(
        entity_id=entity_id,
client=client,
body=body,

    )).parsed
