from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.embedding_metrics import EmbeddingMetrics
from ...models.error import Error
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    minutes: int | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["minutes"] = minutes


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/metrics/embedding-tasks/",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EmbeddingMetrics | Error | None:
    if response.status_code == 200:
        response_200 = EmbeddingMetrics.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EmbeddingMetrics | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    minutes: int | Unset = UNSET,

) -> Response[EmbeddingMetrics | Error]:
    """  GET /metrics/embedding-tasks: embedding tasks' performance (`?minutes=`, default 60).

    Args:
        minutes (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmbeddingMetrics | Error]
     """


    kwargs = _get_kwargs(
        minutes=minutes,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    minutes: int | Unset = UNSET,

) -> EmbeddingMetrics | Error | None:
    """  GET /metrics/embedding-tasks: embedding tasks' performance (`?minutes=`, default 60).

    Args:
        minutes (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmbeddingMetrics | Error
     """


    return sync_detailed(
        client=client,
minutes=minutes,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    minutes: int | Unset = UNSET,

) -> Response[EmbeddingMetrics | Error]:
    """  GET /metrics/embedding-tasks: embedding tasks' performance (`?minutes=`, default 60).

    Args:
        minutes (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmbeddingMetrics | Error]
     """


    kwargs = _get_kwargs(
        minutes=minutes,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    minutes: int | Unset = UNSET,

) -> EmbeddingMetrics | Error | None:
    """  GET /metrics/embedding-tasks: embedding tasks' performance (`?minutes=`, default 60).

    Args:
        minutes (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmbeddingMetrics | Error
     """


    return (await asyncio_detailed(
        client=client,
minutes=minutes,

    )).parsed
