from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.batch_estimate import BatchEstimate
from ...models.error import Error
from ...models.estimate import Estimate
from ...models.estimate_create_files_body import EstimateCreateFilesBody
from ...models.estimate_create_for import EstimateCreateFor
from ...models.estimate_create_json_body import EstimateCreateJsonBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body:    EstimateCreateJsonBody  |     EstimateCreateFilesBody  | Unset = UNSET,
    for_: EstimateCreateFor | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    json_for_: str | Unset = UNSET
    if not isinstance(for_, Unset):
        json_for_ = for_.value

    params["for"] = json_for_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/estimate/",
        "params": params,
    }

    if isinstance(body, EstimateCreateJsonBody):
        
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, EstimateCreateFilesBody):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BatchEstimate | Estimate | Error | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> BatchEstimate | Estimate:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_estimate_answer_type_0 = Estimate.from_dict(data)



                return componentsschemas_estimate_answer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_estimate_answer_type_1 = BatchEstimate.from_dict(data)



            return componentsschemas_estimate_answer_type_1

        response_200 = _parse_response_200(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BatchEstimate | Estimate | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    EstimateCreateJsonBody  |     EstimateCreateFilesBody  | Unset = UNSET,
    for_: EstimateCreateFor | Unset = UNSET,

) -> Response[BatchEstimate | Estimate | Error]:
    """  POST /estimate: the same payload as a creating endpoint; its estimate, nothing queued.

    Args:
        for_ (EstimateCreateFor | Unset):
        body (EstimateCreateJsonBody | Unset):
        body (EstimateCreateFilesBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEstimate | Estimate | Error]
     """


    kwargs = _get_kwargs(
        body=body,
for_=for_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body:    EstimateCreateJsonBody  |     EstimateCreateFilesBody  | Unset = UNSET,
    for_: EstimateCreateFor | Unset = UNSET,

) -> BatchEstimate | Estimate | Error | None:
    """  POST /estimate: the same payload as a creating endpoint; its estimate, nothing queued.

    Args:
        for_ (EstimateCreateFor | Unset):
        body (EstimateCreateJsonBody | Unset):
        body (EstimateCreateFilesBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEstimate | Estimate | Error
     """


    return sync_detailed(
        client=client,
body=body,
for_=for_,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    EstimateCreateJsonBody  |     EstimateCreateFilesBody  | Unset = UNSET,
    for_: EstimateCreateFor | Unset = UNSET,

) -> Response[BatchEstimate | Estimate | Error]:
    """  POST /estimate: the same payload as a creating endpoint; its estimate, nothing queued.

    Args:
        for_ (EstimateCreateFor | Unset):
        body (EstimateCreateJsonBody | Unset):
        body (EstimateCreateFilesBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEstimate | Estimate | Error]
     """


    kwargs = _get_kwargs(
        body=body,
for_=for_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body:    EstimateCreateJsonBody  |     EstimateCreateFilesBody  | Unset = UNSET,
    for_: EstimateCreateFor | Unset = UNSET,

) -> BatchEstimate | Estimate | Error | None:
    """  POST /estimate: the same payload as a creating endpoint; its estimate, nothing queued.

    Args:
        for_ (EstimateCreateFor | Unset):
        body (EstimateCreateJsonBody | Unset):
        body (EstimateCreateFilesBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEstimate | Estimate | Error
     """


    return (await asyncio_detailed(
        client=client,
body=body,
for_=for_,

    )).parsed
