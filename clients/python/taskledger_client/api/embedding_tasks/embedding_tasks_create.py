from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budget_exceeded import BudgetExceeded
from ...models.embedding_task_create_request import EmbeddingTaskCreateRequest
from ...models.embedding_task_queued import EmbeddingTaskQueued
from ...models.embedding_tasks_create_dry_run import EmbeddingTasksCreateDryRun
from ...models.error import Error
from ...models.estimate import Estimate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: EmbeddingTaskCreateRequest,
    dry_run: EmbeddingTasksCreateDryRun | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    json_dry_run: str | Unset = UNSET
    if not isinstance(dry_run, Unset):
        json_dry_run = dry_run.value

    params["dry_run"] = json_dry_run


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/embedding-tasks/",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BudgetExceeded | EmbeddingTaskQueued | Estimate | Error | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> EmbeddingTaskQueued | Estimate:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_embedding_task_answer_type_0 = EmbeddingTaskQueued.from_dict(data)



                return componentsschemas_embedding_task_answer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_embedding_task_answer_type_1 = Estimate.from_dict(data)



            return componentsschemas_embedding_task_answer_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 402:
        response_402 = BudgetExceeded.from_dict(response.json())



        return response_402

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BudgetExceeded | EmbeddingTaskQueued | Estimate | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EmbeddingTaskCreateRequest,
    dry_run: EmbeddingTasksCreateDryRun | Unset = UNSET,

) -> Response[BudgetExceeded | EmbeddingTaskQueued | Estimate | Error]:
    """  Embedding tasks: create, progress, cancel, queue status, batch.

    Args:
        dry_run (EmbeddingTasksCreateDryRun | Unset):
        body (EmbeddingTaskCreateRequest): An embedding task's create body; the service checks
            content, priority and ids.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetExceeded | EmbeddingTaskQueued | Estimate | Error]
     """


    kwargs = _get_kwargs(
        body=body,
dry_run=dry_run,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: EmbeddingTaskCreateRequest,
    dry_run: EmbeddingTasksCreateDryRun | Unset = UNSET,

) -> BudgetExceeded | EmbeddingTaskQueued | Estimate | Error | None:
    """  Embedding tasks: create, progress, cancel, queue status, batch.

    Args:
        dry_run (EmbeddingTasksCreateDryRun | Unset):
        body (EmbeddingTaskCreateRequest): An embedding task's create body; the service checks
            content, priority and ids.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetExceeded | EmbeddingTaskQueued | Estimate | Error
     """


    return sync_detailed(
        client=client,
body=body,
dry_run=dry_run,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmbeddingTaskCreateRequest,
    dry_run: EmbeddingTasksCreateDryRun | Unset = UNSET,

) -> Response[BudgetExceeded | EmbeddingTaskQueued | Estimate | Error]:
    """  Embedding tasks: create, progress, cancel, queue status, batch.

    Args:
        dry_run (EmbeddingTasksCreateDryRun | Unset):
        body (EmbeddingTaskCreateRequest): An embedding task's create body; the service checks
            content, priority and ids.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetExceeded | EmbeddingTaskQueued | Estimate | Error]
     """


    kwargs = _get_kwargs(
        body=body,
dry_run=dry_run,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmbeddingTaskCreateRequest,
    dry_run: EmbeddingTasksCreateDryRun | Unset = UNSET,

) -> BudgetExceeded | EmbeddingTaskQueued | Estimate | Error | None:
    """  Embedding tasks: create, progress, cancel, queue status, batch.

    Args:
        dry_run (EmbeddingTasksCreateDryRun | Unset):
        body (EmbeddingTaskCreateRequest): An embedding task's create body; the service checks
            content, priority and ids.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetExceeded | EmbeddingTaskQueued | Estimate | Error
     """


    return (await asyncio_detailed(
        client=client,
body=body,
dry_run=dry_run,

    )).parsed
