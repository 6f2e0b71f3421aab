"""Interview links: a recruiter sends a candidate a link to answer a question set once, in a time limit.

- ``create_interview`` takes questions from a question set of the bank (``question_sets`` lists them) and
  returns an unguessable token and the page's path (``/interview?token=…``).
- ``open_interview`` gives the candidate the questions and the time left; the time limit runs from the first
  opening. A link can be opened until it expires; once opened, the time limit governs.
- ``submit_interview`` takes the answers once per link: one conditional update marks the interview
  submitted, so of two submissions (even at the same moment) exactly one is accepted. The answers are stored
  at once, then graded in the background with the interview's model profile. A grading failure marks the
  answer ``needs_review`` with the reason; no score is ever made up.
- Late answers: a submission more than ``GRACE_SECONDS`` after the time limit is not graded, but nothing the
  candidate wrote is lost: the answers are kept, marked ``needs_review`` ("late"), the interview's status
  is ``late``, and the candidate is told so; a person decides whether to consider them.
- Grades are stored like any other grade (subject: the candidate's name) and linked to the candidate
  (``candidate_links``), so the Grade tab's candidate view and the candidate records show them.

The parts: ``model`` (limits, errors, records), ``sets`` (question sets), ``links`` (create, open, submit),
``grading`` (background grading) and ``listing`` (the recruiter's view); ``clock`` keeps every time in UTC.
"""

from core.services.interviews.clock import _now
from core.services.interviews.grading import grade_interview, grade_unfinished, schedule_grading
from core.services.interviews.links import create_interview, open_interview, peek, submit_interview
from core.services.interviews.listing import find_interview, list_interviews
from core.services.interviews.model import (EXPIRY_HOURS, GRACE_SECONDS, MAX_ANSWER_CHARS, MAX_QUESTIONS, PAGE_PATH,
                                            STATUSES, TIME_LIMITS, AnswerSummary, InterviewError, InterviewLink,
                                            InterviewQuestion, InterviewRefused, InterviewSummary, LinkInfo,
                                            OpenInterview, QuestionSetChoice, Submission)
from core.services.interviews.sets import question_sets, set_questions

__all__ = [
    "EXPIRY_HOURS", "GRACE_SECONDS", "MAX_ANSWER_CHARS", "MAX_QUESTIONS", "PAGE_PATH", "STATUSES", "TIME_LIMITS",
    "AnswerSummary", "InterviewError", "InterviewLink", "InterviewQuestion", "InterviewRefused", "InterviewSummary",
    "LinkInfo", "OpenInterview", "QuestionSetChoice", "Submission", "_now", "create_interview", "find_interview",
    "grade_interview", "grade_unfinished", "list_interviews", "open_interview", "peek", "question_sets",
    "schedule_grading", "set_questions", "submit_interview",
]
