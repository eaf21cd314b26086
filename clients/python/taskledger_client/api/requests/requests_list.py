from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.paginated_request_record_list import PaginatedRequestRecordList
from ...models.requests_list_format import RequestsListFormat
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    doc_id: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    format_: RequestsListFormat | Unset = UNSET,
    operation_type: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    since: Any | Unset = UNSET,
    status_code: int | str | Unset = UNSET,
    task_id: str | Unset = UNSET,
    task_type: str | Unset = UNSET,
    until: Any | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["doc_id"] = doc_id

    params["entity_id"] = entity_id

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["operation_type"] = operation_type

    params["page"] = page

    params["page_size"] = page_size

    json_since: Any | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    json_status_code: int | str | Unset
    if isinstance(status_code, Unset):
        json_status_code = UNSET
    else:
        json_status_code = status_code
    params["status_code"] = json_status_code

    params["task_id"] = task_id

    params["task_type"] = task_type

    json_until: Any | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    else:
        json_until = until
    params["until"] = json_until


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/requests/",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | PaginatedRequestRecordList | None:
    if response.status_code == 200:
        response_200 = PaginatedRequestRecordList.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | PaginatedRequestRecordList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    doc_id: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    format_: RequestsListFormat | Unset = UNSET,
    operation_type: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    since: Any | Unset = UNSET,
    status_code: int | str | Unset = UNSET,
    task_id: str | Unset = UNSET,
    task_type: str | Unset = UNSET,
    until: Any | Unset = UNSET,

) -> Response[Error | PaginatedRequestRecordList]:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        doc_id (str | Unset):
        entity_id (str | Unset):
        format_ (RequestsListFormat | Unset):
        operation_type (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        since (Any | Unset):
        status_code (int | str | Unset):
        task_id (str | Unset):
        task_type (str | Unset):
        until (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRequestRecordList]
     """


    kwargs = _get_kwargs(
        doc_id=doc_id,
entity_id=entity_id,
format_=format_,
operation_type=operation_type,
page=page,
page_size=page_size,
since=since,
status_code=status_code,
task_id=task_id,
task_type=task_type,
until=until,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    doc_id: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    format_: RequestsListFormat | Unset = UNSET,
    operation_type: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    since: Any | Unset = UNSET,
    status_code: int | str | Unset = UNSET,
    task_id: str | Unset = UNSET,
    task_type: str | Unset = UNSET,
    until: Any | Unset = UNSET,

) -> Error | PaginatedRequestRecordList | None:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        doc_id (str | Unset):
        entity_id (str | Unset):
        format_ (RequestsListFormat | Unset):
        operation_type (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        since (Any | Unset):
        status_code (int | str | Unset):
        task_id (str | Unset):
        task_type (str | Unset):
        until (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRequestRecordList
     """


    return sync_detailed(
        client=client,
doc_id=doc_id,
entity_id=entity_id,
format_=format_,
operation_type=operation_type,
page=page,
page_size=page_size,
since=since,
status_code=status_code,
task_id=task_id,
task_type=task_type,
until=until,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    doc_id: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    format_: RequestsListFormat | Unset = UNSET,
    operation_type: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    since: Any | Unset = UNSET,
    status_code: int | str | Unset = UNSET,
    task_id: str | Unset = UNSET,
    task_type: str | Unset = UNSET,
    until: Any | Unset = UNSET,

) -> Response[Error | PaginatedRequestRecordList]:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        doc_id (str | Unset):
        entity_id (str | Unset):
        format_ (RequestsListFormat | Unset):
        operation_type (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        since (Any | Unset):
        status_code (int | str | Unset):
        task_id (str | Unset):
        task_type (str | Unset):
        until (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRequestRecordList]
     """


    kwargs = _get_kwargs(
        doc_id=doc_id,
entity_id=entity_id,
format_=format_,
operation_type=operation_type,
page=page,
page_size=page_size,
since=since,
status_code=status_code,
task_id=task_id,
task_type=task_type,
until=until,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    doc_id: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    format_: RequestsListFormat | Unset = UNSET,
    operation_type: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    since: Any | Unset = UNSET,
    status_code: int | str | Unset = UNSET,
    task_id: str | Unset = UNSET,
    task_type: str | Unset = UNSET,
    until: Any | Unset = UNSET,

) -> Error | PaginatedRequestRecordList | None:
    """  The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.

    Args:
        doc_id (str | Unset):
        entity_id (str | Unset):
        format_ (RequestsListFormat | Unset):
        operation_type (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        since (Any | Unset):
        status_code (int | str | Unset):
        task_id (str | Unset):
        task_type (str | Unset):
        until (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRequestRecordList
     """


    return (await asyncio_detailed(
        client=client,
doc_id=doc_id,
entity_id=entity_id,
format_=format_,
operation_type=operation_type,
page=page,
page_size=page_size,
since=since,
status_code=status_code,
task_id=task_id,
task_type=task_type,
until=until,

    )).parsed
