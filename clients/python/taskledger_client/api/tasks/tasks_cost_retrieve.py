from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.task_cost_estimate import TaskCostEstimate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    task_id: str,
    *,
    wait: float | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["wait"] = wait


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/tasks/{task_id}/cost/".format(task_id=quote(str(task_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | TaskCostEstimate | None:
    if response.status_code == 200:
        response_200 = TaskCostEstimate.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = TaskCostEstimate.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | TaskCostEstimate]:
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
    wait: float | Unset = UNSET,

) -> Response[Error | TaskCostEstimate]:
    """  What a task cost so far, with the estimate made when it was created beside it.

    Args:
        task_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TaskCostEstimate]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
wait=wait,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    task_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> Error | TaskCostEstimate | None:
    """  What a task cost so far, with the estimate made when it was created beside it.

    Args:
        task_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TaskCostEstimate
     """


    return sync_detailed(
        task_id=task_id,
client=client,
wait=wait,

    ).parsed

async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> Response[Error | TaskCostEstimate]:
    """  What a task cost so far, with the estimate made when it was created beside it.

    Args:
        task_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TaskCostEstimate]
     """


    kwargs = _get_kwargs(
        task_id=task_id,
wait=wait,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> Error | TaskCostEstimate | None:
    """  What a task cost so far, with the estimate made when it was created beside it.

    Args:
        task_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TaskCostEstimate
     """


    return (await asyncio_detailed(
        task_id=task_id,
client=client,
wait=wait,

    )).parsed
