# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The filters of each listing, shared by its info module and its inventory plugin, so that both document
    # the same options (module_utils/endpoints.py declares them once for the code).
    DOCUMENTATION = r'''
options: {}
'''

    # ListRayJob
    EMR_RAY_JOB = r'''
options:
  submission_id:
    description:
      - Only the job with this submission ID, for example C(rj-uiulpgow9xljimm1).
    type: str
  name:
    description:
      - Only jobs with exactly this name.
    type: str
  task_biz_id:
    description:
      - Only jobs of this Data Studio task.
    type: str
  submit_time:
    description:
      - Only jobs submitted in this range, sent as the JSON object C(submitTime).
    type: dict
    suboptions:
      start_time:
        description:
          - Start of the range (inclusive) - epoch milliseconds, ISO 8601, C(now) or an offset such as C(-2h).
        type: raw
      end_time:
        description:
          - End of the range (inclusive), in the same forms. Must not be before O(submit_time.start_time).
        type: raw
'''

    # PAI-DLC ListJobs
    PAI_DLC_JOB = r'''
options:
  display_name:
    description:
      - Jobs whose name contains this text (case-insensitive).
    type: str
  job_type:
    description:
      - Only jobs of this type.
    type: str
    choices: [TFJob, PyTorchJob, XGBoostJob, OneFlowJob, ElasticBatchJob, MPIJob, SlurmJob, RayJob]
  status:
    description:
      - Only jobs in this status.
    type: str
    choices: [Creating, Queuing, Bidding, EnvPreparing, SanityChecking, Running, Restarting, Stopping,
              SucceededReserving, FailedReserving, Succeeded, Failed, Stopped]
  start_time:
    description:
      - Only jobs created at or after this time - ISO 8601, epoch seconds, C(now) or an offset such as C(-30d).
        Sent as ISO 8601 UTC.
      - Without O(start_time) and O(end_time) the API itself only lists jobs created in the last seven days.
    type: raw
  end_time:
    description:
      - Only jobs created at or before this time, in the same forms. Must not be before O(start_time).
    type: raw
  sort_by:
    description:
      - The field the API sorts by.
    type: str
    choices: [DisplayName, JobType, Status, GmtCreateTime, GmtFinishTime]
  order:
    description:
      - The sort order.
    type: str
    choices: [asc, desc]
  show_own:
    description:
      - Only jobs submitted by the caller.
    type: bool
  workspace_id:
    description:
      - Only jobs of this workspace.
    type: str
  resource_id:
    description:
      - Only jobs of this resource group.
    type: str
  business_user_id:
    description:
      - Only jobs associated with this user.
    type: str
  caller:
    description:
      - Only jobs of this caller.
    type: str
  tags:
    description:
      - Only jobs that carry all these tags. Sent as the JSON map C(Tags).
    type: dict
  pipeline_id:
    description:
      - Only jobs of this pipeline.
    type: str
  from_all_workspaces:
    description:
      - List jobs across workspaces.
    type: bool
  job_id:
    description:
      - Jobs whose ID contains this text (case-insensitive).
    type: str
  user_id_for_filter:
    description:
      - Only jobs of this user ID.
    type: str
  username:
    description:
      - Jobs whose username contains this text.
    type: str
  resource_quota_name:
    description:
      - Jobs whose resource quota name contains this text.
    type: str
  accessibility:
    description:
      - Only jobs of this visibility.
    type: str
    choices: [PUBLIC, PRIVATE]
  oversold_info:
    description:
      - Only jobs with this idle-resource setting. C(AcceptQuotaOverSold-true) selects jobs that accepted idle
        resources and used them, C(AcceptQuotaOverSold-false) those that accepted them but ran on guaranteed ones.
    type: str
    choices: [ForbiddenQuotaOverSold, ForceQuotaOverSold, AcceptQuotaOverSold-true, AcceptQuotaOverSold-false]
'''

    # MaxCompute GetRunningJobs
    MAXCOMPUTE_RUNNING_JOB = r'''
options:
  from_time:
    description:
      - Start of the submission-time range - epoch seconds, ISO 8601, C(now) or an offset such as C(-1h).
      - Relative times are taken afresh whenever the listing is read.
    type: raw
    required: true
  to_time:
    description:
      - End of the submission-time range, in the same forms. Must not be before O(from_time).
    type: raw
    required: true
  job_owner_list:
    description:
      - Only jobs run by these owners, for example C(ALIYUN$someone@example.com) or C(RAM$account:user).
    type: list
    elements: str
  quota_nickname_list:
    description:
      - Only jobs that use these quotas (nicknames).
    type: list
    elements: str
'''

    # Octopus QueryQueuedJobList
    OCTOPUS_QUEUED_JOB = r'''
options:
  queue_type:
    description:
      - The queue type, for example C(USER), C(PROCESSOR) or C(INTERNAL).
    type: str
    required: true
  job_id:
    description:
      - Only this job.
    type: int
  output_type:
    description:
      - Only jobs with this output type.
    type: str
  job_type:
    description:
      - Only jobs of this internal job type, for example C(SCENARIO_AUTO_MINING).
    type: str
  data_id:
    description:
      - Only jobs on this data ID.
    type: str
  processor_name:
    description:
      - Only jobs of this processor.
    type: str
  cluster_type:
    description:
      - Only jobs on this cluster type, for example C(CCE) or C(MODELARTS). C(MODELARTS) needs O(cluster_id).
    type: str
  cluster_id:
    description:
      - Only jobs on this cluster. Required when O(cluster_type=MODELARTS).
    type: str
'''
