from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.request_record import RequestRecord
from typing import cast



def _get_kwargs(
    request_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/requests/{request_id}/".format(request_id=quote(str(request_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | RequestRecord | None:
    if response.status_code == 200:
        response_200 = RequestRecord.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | RequestRecord]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Error | RequestRecord]:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestRecord]
     """


    kwargs = _get_kwargs(
        request_id=request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    request_id: str,
    *,
    client: AuthenticatedClient,

) -> Error | RequestRecord | None:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestRecord
     """


    return sync_detailed(
        request_id=request_id,
client=client,

    ).parsed

async def asyncio_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Error | RequestRecord]:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestRecord]
     """


    kwargs = _get_kwargs(
        request_id=request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    request_id: str,
    *,
    client: AuthenticatedClient,

) -> Error | RequestRecord | None:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestRecord
     """


    return (await asyncio_detailed(
        request_id=request_id,
client=client,

    )).parsed
