from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.paginated_task_list import PaginatedTaskList
from ...models.tasks_list_priority import TasksListPriority
from ...models.tasks_list_status import TasksListStatus
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    completed_after: Any | Unset = UNSET,
    completed_before: Any | Unset = UNSET,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent_id: str | Unset = UNSET,
    priority: TasksListPriority | Unset = UNSET,
    status: TasksListStatus | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_completed_after: Any | Unset
    if isinstance(completed_after, Unset):
        json_completed_after = UNSET
    else:
        json_completed_after = completed_after
    params["completed_after"] = json_completed_after

    json_completed_before: Any | Unset
    if isinstance(completed_before, Unset):
        json_completed_before = UNSET
    else:
        json_completed_before = completed_before
    params["completed_before"] = json_completed_before

    json_created_after: Any | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    else:
        json_created_after = created_after
    params["created_after"] = json_created_after

    json_created_before: Any | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    else:
        json_created_before = created_before
    params["created_before"] = json_created_before

    params["entity_id"] = entity_id

    params["kind"] = kind

    params["page"] = page

    params["page_size"] = page_size

    params["parent_id"] = parent_id

    json_priority: str | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = priority.value

    params["priority"] = json_priority

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/tasks/",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | PaginatedTaskList | None:
    if response.status_code == 200:
        response_200 = PaginatedTaskList.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | PaginatedTaskList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    completed_after: Any | Unset = UNSET,
    completed_before: Any | Unset = UNSET,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent_id: str | Unset = UNSET,
    priority: TasksListPriority | Unset = UNSET,
    status: TasksListStatus | Unset = UNSET,

) -> Response[Error | PaginatedTaskList]:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        completed_after (Any | Unset):
        completed_before (Any | Unset):
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity_id (str | Unset):
        kind (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent_id (str | Unset):
        priority (TasksListPriority | Unset):
        status (TasksListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedTaskList]
     """


    kwargs = _get_kwargs(
        completed_after=completed_after,
completed_before=completed_before,
created_after=created_after,
created_before=created_before,
entity_id=entity_id,
kind=kind,
page=page,
page_size=page_size,
parent_id=parent_id,
priority=priority,
status=status,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    completed_after: Any | Unset = UNSET,
    completed_before: Any | Unset = UNSET,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent_id: str | Unset = UNSET,
    priority: TasksListPriority | Unset = UNSET,
    status: TasksListStatus | Unset = UNSET,

) -> Error | PaginatedTaskList | None:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        completed_after (Any | Unset):
        completed_before (Any | Unset):
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity_id (str | Unset):
        kind (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent_id (str | Unset):
        priority (TasksListPriority | Unset):
        status (TasksListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedTaskList
     """


    return sync_detailed(
        client=client,
completed_after=completed_after,
completed_before=completed_before,
created_after=created_after,
created_before=created_before,
entity_id=entity_id,
kind=kind,
page=page,
page_size=page_size,
parent_id=parent_id,
priority=priority,
status=status,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    completed_after: Any | Unset = UNSET,
    completed_before: Any | Unset = UNSET,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent_id: str | Unset = UNSET,
    priority: TasksListPriority | Unset = UNSET,
    status: TasksListStatus | Unset = UNSET,

) -> Response[Error | PaginatedTaskList]:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        completed_after (Any | Unset):
        completed_before (Any | Unset):
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity_id (str | Unset):
        kind (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent_id (str | Unset):
        priority (TasksListPriority | Unset):
        status (TasksListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedTaskList]
     """


    kwargs = _get_kwargs(
        completed_after=completed_after,
completed_before=completed_before,
created_after=created_after,
created_before=created_before,
entity_id=entity_id,
kind=kind,
page=page,
page_size=page_size,
parent_id=parent_id,
priority=priority,
status=status,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    completed_after: Any | Unset = UNSET,
    completed_before: Any | Unset = UNSET,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent_id: str | Unset = UNSET,
    priority: TasksListPriority | Unset = UNSET,
    status: TasksListStatus | Unset = UNSET,

) -> Error | PaginatedTaskList | None:
    """  Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events.

    Args:
        completed_after (Any | Unset):
        completed_before (Any | Unset):
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity_id (str | Unset):
        kind (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent_id (str | Unset):
        priority (TasksListPriority | Unset):
        status (TasksListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedTaskList
     """


    return (await asyncio_detailed(
        client=client,
completed_after=completed_after,
completed_before=completed_before,
created_after=created_after,
created_before=created_before,
entity_id=entity_id,
kind=kind,
page=page,
page_size=page_size,
parent_id=parent_id,
priority=priority,
status=status,

    )).parsed
