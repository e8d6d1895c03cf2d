"""Organisations, staff users and their roles.

A user signs in with an email address and belongs to one or more organisations through
memberships; each membership carries one role. What a role may do is decided in
`skillspassport.accounts.roles`, not here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    PROVIDER = "provider", "Training provider"
    EMPLOYER = "employer", "Employer"
    VOLUNTARY = "voluntary", "Voluntary or community body"
    JOBCENTRE = "jobcentre", "Jobcentre"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ADVISER = "adviser", "Adviser"
    TUTOR = "tutor", "Tutor"
    EMPLOYER_CONTACT = "employer_contact", "Employer contact"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    COUNCILLOR = "councillor", "Councillor"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    council = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        limit_choices_to={"kind": OrganisationKind.COUNCIL},
        help_text="The council whose scheme this organisation works in (blank for a council).",
    )
    local_authority_code = models.CharField(
        max_length=9, blank=True, help_text="ONS code of the council's area, e.g. E08000014."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="council") | models.Q(council__isnull=True),
                name="council_has_no_parent_council",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scheme_council(self) -> Organisation | None:
        """The council whose scheme rules apply to this organisation's work."""
        if self.kind == OrganisationKind.COUNCIL:
            return self
        return self.council


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May open the Django admin (also needs an administrator role)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"
