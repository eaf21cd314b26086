from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.knowledge_base import KnowledgeBase
from ...models.knowledge_base_create_request import KnowledgeBaseCreateRequest
from typing import cast



def _get_kwargs(
    *,
    body:    KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/knowledge-bases/",
    }

    if isinstance(body, KnowledgeBaseCreateRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, KnowledgeBaseCreateRequest):
        _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, KnowledgeBaseCreateRequest):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | KnowledgeBase | None:
    if response.status_code == 201:
        response_201 = KnowledgeBase.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | KnowledgeBase]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  | Unset = UNSET,

) -> Response[Error | KnowledgeBase]:
    """  Knowledge bases: list, create, inspect, list documents, search.

    Args:
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | KnowledgeBase]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body:    KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  | Unset = UNSET,

) -> Error | KnowledgeBase | None:
    """  Knowledge bases: list, create, inspect, list documents, search.

    Args:
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | KnowledgeBase
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  | Unset = UNSET,

) -> Response[Error | KnowledgeBase]:
    """  Knowledge bases: list, create, inspect, list documents, search.

    Args:
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | KnowledgeBase]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body:    KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  |     KnowledgeBaseCreateRequest  | Unset = UNSET,

) -> Error | KnowledgeBase | None:
    """  Knowledge bases: list, create, inspect, list documents, search.

    Args:
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):
        body (KnowledgeBaseCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | KnowledgeBase
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
