from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.task_event_list import TaskEventList
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    task_id: str,
    *,
    after: int | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["after"] = after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/tasks/{task_id}/events/".format(task_id=quote(str(task_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | TaskEventList | None:
    if response.status_code == 200:
        response_200 = TaskEventList.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | TaskEventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,

) -> Response[Error | TaskEventList]:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        task_id (str):
        after (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TaskEventList]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
after=after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task_id: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,

) -> Error | TaskEventList | None:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        task_id (str):
        after (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TaskEventList
     """


    return sync_detailed(
        task_id=task_id,
client=client,
after=after,

    ).parsed

async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,

) -> Response[Error | TaskEventList]:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        task_id (str):
        after (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TaskEventList]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
after=after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,

) -> Error | TaskEventList | None:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        task_id (str):
        after (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TaskEventList
     """


    return (await asyncio_detailed(
        task_id=task_id,
client=client,
after=after,

    )).parsed
