""" Contains all the data models used in inputs/outputs """

from .analyze_create_dry_run import AnalyzeCreateDryRun
from .analyze_request import AnalyzeRequest
from .article import Article
from .article_analysis import ArticleAnalysis
from .article_cost_models import ArticleCostModels
from .article_created import ArticleCreated
from .article_created_analysis import ArticleCreatedAnalysis
from .article_file import ArticleFile
from .article_status import ArticleStatus
from .articles_list_status import ArticlesListStatus
from .articles_reanalyze_create_dry_run import ArticlesReanalyzeCreateDryRun
from .batch_estimate import BatchEstimate
from .batch_estimate_item import BatchEstimateItem
from .batch_item_status_enum import BatchItemStatusEnum
from .budget import Budget
from .budget_exceeded import BudgetExceeded
from .budget_write_request import BudgetWriteRequest
from .budgets_write_request import BudgetsWriteRequest
from .cost_index import CostIndex
from .cost_model_line import CostModelLine
from .document import Document
from .document_cost import DocumentCost
from .document_cost_breakdown_by_service import DocumentCostBreakdownByService
from .document_upload_accepted import DocumentUploadAccepted
from .document_upload_request_request import DocumentUploadRequestRequest
from .embedding_batch_answer import EmbeddingBatchAnswer
from .embedding_batch_item import EmbeddingBatchItem
from .embedding_metrics import EmbeddingMetrics
from .embedding_task import EmbeddingTask
from .embedding_task_create_request import EmbeddingTaskCreateRequest
from .embedding_task_queued import EmbeddingTaskQueued
from .embedding_tasks_batch_create_dry_run import EmbeddingTasksBatchCreateDryRun
from .embedding_tasks_create_dry_run import EmbeddingTasksCreateDryRun
from .entities_costs_retrieve_format import EntitiesCostsRetrieveFormat
from .entities_costs_retrieve_group_by import EntitiesCostsRetrieveGroupBy
from .entities_files_create_dry_run import EntitiesFilesCreateDryRun
from .entity import Entity
from .entity_budgets import EntityBudgets
from .entity_cost import EntityCost
from .entity_cost_group import EntityCostGroup
from .entity_cost_group_quantities import EntityCostGroupQuantities
from .entity_create_request import EntityCreateRequest
from .error import Error
from .error_errors import ErrorErrors
from .estimate import Estimate
from .estimate_breakdown_by_service import EstimateBreakdownByService
from .estimate_create_files_body import EstimateCreateFilesBody
from .estimate_create_for import EstimateCreateFor
from .estimate_create_json_body import EstimateCreateJsonBody
from .estimate_line import EstimateLine
from .event_type_enum import EventTypeEnum
from .format_enum import FormatEnum
from .knowledge_base import KnowledgeBase
from .knowledge_base_create_request import KnowledgeBaseCreateRequest
from .knowledge_base_search_answer import KnowledgeBaseSearchAnswer
from .mode_enum import ModeEnum
from .outcome_enum import OutcomeEnum
from .paginated_article_list import PaginatedArticleList
from .paginated_cost_index_list import PaginatedCostIndexList
from .paginated_document_list import PaginatedDocumentList
from .paginated_knowledge_base_list import PaginatedKnowledgeBaseList
from .paginated_request_record_list import PaginatedRequestRecordList
from .paginated_schedule_list import PaginatedScheduleList
from .paginated_schedule_run_list import PaginatedScheduleRunList
from .paginated_task_list import PaginatedTaskList
from .patched_schedule_write_request import PatchedScheduleWriteRequest
from .patched_schedule_write_request_params import PatchedScheduleWriteRequestParams
from .period_enum import PeriodEnum
from .priority_enum import PriorityEnum
from .processing_status_enum import ProcessingStatusEnum
from .queue_status import QueueStatus
from .queue_status_queue_by_priority import QueueStatusQueueByPriority
from .queue_status_status_counts import QueueStatusStatusCounts
from .request_record import RequestRecord
from .requests_list_format import RequestsListFormat
from .role_enum import RoleEnum
from .schedule import Schedule
from .schedule_catch_up_policy_enum import ScheduleCatchUpPolicyEnum
from .schedule_cost import ScheduleCost
from .schedule_cost_breakdown_by_service import ScheduleCostBreakdownByService
from .schedule_overlap_policy_enum import ScheduleOverlapPolicyEnum
from .schedule_run import ScheduleRun
from .schedule_write_catch_up_policy_enum import ScheduleWriteCatchUpPolicyEnum
from .schedule_write_overlap_policy_enum import ScheduleWriteOverlapPolicyEnum
from .schedule_write_request import ScheduleWriteRequest
from .schedule_write_request_params import ScheduleWriteRequestParams
from .search_result import SearchResult
from .service_line import ServiceLine
from .service_line_breakdown import ServiceLineBreakdown
from .task import Task
from .task_batch_answer import TaskBatchAnswer
from .task_batch_item import TaskBatchItem
from .task_cancelled import TaskCancelled
from .task_cost_estimate import TaskCostEstimate
from .task_cost_estimate_breakdown_by_service import TaskCostEstimateBreakdownByService
from .task_cost_estimate_estimated_breakdown_by_service_type_0 import TaskCostEstimateEstimatedBreakdownByServiceType0
from .task_create_request import TaskCreateRequest
from .task_create_request_children_item import TaskCreateRequestChildrenItem
from .task_create_request_metadata import TaskCreateRequestMetadata
from .task_create_request_params import TaskCreateRequestParams
from .task_created import TaskCreated
from .task_event import TaskEvent
from .task_event_list import TaskEventList
from .task_priority_request import TaskPriorityRequest
from .task_status import TaskStatus
from .task_status_enum import TaskStatusEnum
from .tasks_batch_create_dry_run import TasksBatchCreateDryRun
from .tasks_create_dry_run import TasksCreateDryRun
from .tasks_list_priority import TasksListPriority
from .tasks_list_status import TasksListStatus
from .trigger_enum import TriggerEnum

__all__ = (
    "AnalyzeCreateDryRun",
    "AnalyzeRequest",
    "Article",
    "ArticleAnalysis",
    "ArticleCostModels",
    "ArticleCreated",
    "ArticleCreatedAnalysis",
    "ArticleFile",
    "ArticlesListStatus",
    "ArticlesReanalyzeCreateDryRun",
    "ArticleStatus",
    "BatchEstimate",
    "BatchEstimateItem",
    "BatchItemStatusEnum",
    "Budget",
    "BudgetExceeded",
    "BudgetsWriteRequest",
    "BudgetWriteRequest",
    "CostIndex",
    "CostModelLine",
    "Document",
    "DocumentCost",
    "DocumentCostBreakdownByService",
    "DocumentUploadAccepted",
    "DocumentUploadRequestRequest",
    "EmbeddingBatchAnswer",
    "EmbeddingBatchItem",
    "EmbeddingMetrics",
    "EmbeddingTask",
    "EmbeddingTaskCreateRequest",
    "EmbeddingTaskQueued",
    "EmbeddingTasksBatchCreateDryRun",
    "EmbeddingTasksCreateDryRun",
    "EntitiesCostsRetrieveFormat",
    "EntitiesCostsRetrieveGroupBy",
    "EntitiesFilesCreateDryRun",
    "Entity",
    "EntityBudgets",
    "EntityCost",
    "EntityCostGroup",
    "EntityCostGroupQuantities",
    "EntityCreateRequest",
    "Error",
    "ErrorErrors",
    "Estimate",
    "EstimateBreakdownByService",
    "EstimateCreateFilesBody",
    "EstimateCreateFor",
    "EstimateCreateJsonBody",
    "EstimateLine",
    "EventTypeEnum",
    "FormatEnum",
    "KnowledgeBase",
    "KnowledgeBaseCreateRequest",
    "KnowledgeBaseSearchAnswer",
    "ModeEnum",
    "OutcomeEnum",
    "PaginatedArticleList",
    "PaginatedCostIndexList",
    "PaginatedDocumentList",
    "PaginatedKnowledgeBaseList",
    "PaginatedRequestRecordList",
    "PaginatedScheduleList",
    "PaginatedScheduleRunList",
    "PaginatedTaskList",
    "PatchedScheduleWriteRequest",
    "PatchedScheduleWriteRequestParams",
    "PeriodEnum",
    "PriorityEnum",
    "ProcessingStatusEnum",
    "QueueStatus",
    "QueueStatusQueueByPriority",
    "QueueStatusStatusCounts",
    "RequestRecord",
    "RequestsListFormat",
    "RoleEnum",
    "Schedule",
    "ScheduleCatchUpPolicyEnum",
    "ScheduleCost",
    "ScheduleCostBreakdownByService",
    "ScheduleOverlapPolicyEnum",
    "ScheduleRun",
    "ScheduleWriteCatchUpPolicyEnum",
    "ScheduleWriteOverlapPolicyEnum",
    "ScheduleWriteRequest",
    "ScheduleWriteRequestParams",
    "SearchResult",
    "ServiceLine",
    "ServiceLineBreakdown",
    "Task",
    "TaskBatchAnswer",
    "TaskBatchItem",
    "TaskCancelled",
    "TaskCostEstimate",
    "TaskCostEstimateBreakdownByService",
    "TaskCostEstimateEstimatedBreakdownByServiceType0",
    "TaskCreated",
    "TaskCreateRequest",
    "TaskCreateRequestChildrenItem",
    "TaskCreateRequestMetadata",
    "TaskCreateRequestParams",
    "TaskEvent",
    "TaskEventList",
    "TaskPriorityRequest",
    "TasksBatchCreateDryRun",
    "TasksCreateDryRun",
    "TasksListPriority",
    "TasksListStatus",
    "TaskStatus",
    "TaskStatusEnum",
    "TriggerEnum",
)
