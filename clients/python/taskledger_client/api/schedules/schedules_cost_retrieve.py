from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.schedule_cost import ScheduleCost
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    schedule_id: str,
    *,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["since"] = since

    params["until"] = until


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/schedules/{schedule_id}/cost/".format(schedule_id=quote(str(schedule_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ScheduleCost | None:
    if response.status_code == 200:
        response_200 = ScheduleCost.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = ScheduleCost.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | ScheduleCost]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,

) -> Response[Error | ScheduleCost]:
    """  What the runs due in [since, until) cost: 200 once final, 202 while one runs.

    Args:
        schedule_id (str):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScheduleCost]
     """


    kwargs = _get_kwargs(
        schedule_id=schedule_id,
since=since,
until=until,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,

) -> Error | ScheduleCost | None:
    """  What the runs due in [since, until) cost: 200 once final, 202 while one runs.

    Args:
        schedule_id (str):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScheduleCost
     """


    return sync_detailed(
        schedule_id=schedule_id,
client=client,
since=since,
until=until,

    ).parsed

async def asyncio_detailed(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,

) -> Response[Error | ScheduleCost]:
    """  What the runs due in [since, until) cost: 200 once final, 202 while one runs.

    Args:
        schedule_id (str):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ScheduleCost]
     """


    kwargs = _get_kwargs(
        schedule_id=schedule_id,
since=since,
until=until,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,

) -> Error | ScheduleCost | None:
    """  What the runs due in [since, until) cost: 200 once final, 202 while one runs.

    Args:
        schedule_id (str):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ScheduleCost
     """


    return (await asyncio_detailed(
        schedule_id=schedule_id,
client=client,
since=since,
until=until,

    )).parsed
