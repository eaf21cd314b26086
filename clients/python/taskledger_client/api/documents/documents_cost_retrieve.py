from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.document_cost import DocumentCost
from ...models.error import Error
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    doc_id: str,
    *,
    wait: float | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["wait"] = wait


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/documents/{doc_id}/cost/".format(doc_id=quote(str(doc_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DocumentCost | Error | None:
    if response.status_code == 200:
        response_200 = DocumentCost.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = DocumentCost.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DocumentCost | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    doc_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> Response[DocumentCost | Error]:
    """  What a document cost: every visible record carrying its doc_id (202 until final).

    Args:
        doc_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentCost | Error]
     """


    kwargs = _get_kwargs(
        doc_id=doc_id,
wait=wait,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    doc_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> DocumentCost | Error | None:
    """  What a document cost: every visible record carrying its doc_id (202 until final).

    Args:
        doc_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentCost | Error
     """


    return sync_detailed(
        doc_id=doc_id,
client=client,
wait=wait,

    ).parsed

async def asyncio_detailed(
    doc_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> Response[DocumentCost | Error]:
    """  What a document cost: every visible record carrying its doc_id (202 until final).

    Args:
        doc_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentCost | Error]
     """


    kwargs = _get_kwargs(
        doc_id=doc_id,
wait=wait,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    doc_id: str,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = UNSET,

) -> DocumentCost | Error | None:
    """  What a document cost: every visible record carrying its doc_id (202 until final).

    Args:
        doc_id (str):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentCost | Error
     """


    return (await asyncio_detailed(
        doc_id=doc_id,
client=client,
wait=wait,

    )).parsed
