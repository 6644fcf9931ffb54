//! Workspace roles and what each may do. Every permission about workspace roles is a method here;
//! handlers and storage ask, and render the [`Refusal`] as it is (each is a sentence for a person).
//!
//! The rules:
//! - admins and above invite, see and manage invitations, edit the app catalog, set the number
//!   policy and deprovision;
//! - nobody grants a role above their own, and only an owner makes owners;
//! - owners and super admins change roles, never their own, and a super admin never touches an
//!   owner;
//! - an owner deprovisions anyone but themselves; anyone else only people of a strictly lower role;
//! - only owners manage SCIM tokens (a token deprovisions with an owner's rank).

use std::cmp::Ordering;

use thiserror::Error;

/// A workspace role. Ordered by strength: `Role::Owner > Role::SuperAdmin > Role::Admin > Role::User`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    SuperAdmin,
    Admin,
    User,
}

/// A role name that is none of the four.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not a role: use owner, super_admin, admin or user")]
pub struct UnknownRole(pub String);

/// Why a role may not do something.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("only admins, super admins and owners can {0}")]
    AdminsOnly(&'static str),
    #[error("only workspace admins, super admins and owners edit the app catalog")]
    Catalog,
    #[error("only an owner can make someone an owner")]
    OwnersMakeOwners,
    #[error("you cannot grant the role {role}, which is above your own ({own})")]
    AboveOwn { role: &'static str, own: &'static str },
    #[error("only owners and super admins can change roles")]
    ChangeRoles,
    #[error("you cannot change your own role: ask another owner")]
    OwnRole,
    #[error("only an owner can change an owner's role")]
    OwnersRole,
    #[error("you cannot deprovision yourself: ask another administrator")]
    DeprovisionSelf,
    #[error("a {own} can deprovision only people of a lower role; this user is {target}")]
    DeprovisionEqualOrAbove { own: &'static str, target: &'static str },
    #[error(
        "in this workspace only {0} and above obtain managed numbers and e-mail addresses (a number may be a purchase); ask an administrator"
    )]
    ObtainNumber(&'static str),
    #[error("only owners create, list and revoke SCIM tokens (a token provisions and deprovisions people)")]
    ScimTokens,
}

/// What a role may be asked to do that needs admin rights (the words go into [`Refusal::AdminsOnly`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminTask {
    Invite,
    SeeInvitations,
    ManageInvitations,
    Deprovision,
    SetNumberPolicy,
    ReadAuditLog,
    SeeConsole,
}

impl AdminTask {
    fn words(self) -> &'static str {
        match self {
            AdminTask::Invite => "invite people",
            AdminTask::SeeInvitations => "see invitations",
            AdminTask::ManageInvitations => "manage invitations",
            AdminTask::Deprovision => "deprovision people",
            AdminTask::SetNumberPolicy => "change who may obtain managed numbers and e-mail addresses",
            AdminTask::ReadAuditLog => "read the workspace's audit log",
            AdminTask::SeeConsole => "see the workspace's people, their devices and the accounts that need a new key",
        }
    }
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::SuperAdmin, Role::Admin, Role::User];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::SuperAdmin => "super_admin",
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    pub fn parse(value: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| UnknownRole(value.to_string()))
    }

    /// For sentences: "admins", "super admins".
    pub fn plural(self) -> &'static str {
        match self {
            Role::Owner => "owners",
            Role::SuperAdmin => "super admins",
            Role::Admin => "admins",
            Role::User => "users",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Role::Owner => 3,
            Role::SuperAdmin => 2,
            Role::Admin => 1,
            Role::User => 0,
        }
    }

    /// Admin, super admin or owner.
    pub fn is_admin(self) -> bool {
        self >= Role::Admin
    }

    /// Admins and above do `task`.
    pub fn may(self, task: AdminTask) -> Result<(), Refusal> {
        match self.is_admin() {
            true => Ok(()),
            false => Err(Refusal::AdminsOnly(task.words())),
        }
    }

    /// Admins and above edit the workspace's app catalog.
    pub fn may_edit_catalog(self) -> Result<(), Refusal> {
        match self.is_admin() {
            true => Ok(()),
            false => Err(Refusal::Catalog),
        }
    }

    /// Whether this role may give someone `role` (invite with it, or change them to it).
    pub fn may_grant(self, role: Role) -> Result<(), Refusal> {
        if role == Role::Owner && self != Role::Owner {
            return Err(Refusal::OwnersMakeOwners);
        }
        if role > self {
            return Err(Refusal::AboveOwn {
                role: role.as_str(),
                own: self.as_str(),
            });
        }
        Ok(())
    }

    /// Owners and super admins change roles.
    pub fn may_change_roles(self) -> Result<(), Refusal> {
        match self {
            Role::Owner | Role::SuperAdmin => Ok(()),
            Role::Admin | Role::User => Err(Refusal::ChangeRoles),
        }
    }

    /// Whether this role may change the role of someone who has `target` (`is_self`: themselves).
    /// What they may change it to is [`Role::may_grant`].
    pub fn may_change_role_of(self, target: Role, is_self: bool) -> Result<(), Refusal> {
        self.may_change_roles()?;
        if is_self {
            return Err(Refusal::OwnRole);
        }
        if target == Role::Owner && self != Role::Owner {
            return Err(Refusal::OwnersRole);
        }
        Ok(())
    }

    /// Whether this role may set `to` on someone who has `target` (`is_self`: themselves): the
    /// change-role rule and the grant rule together, so the console can say why a choice is out.
    pub fn may_set_role(self, target: Role, is_self: bool, to: Role) -> Result<(), Refusal> {
        self.may_change_role_of(target, is_self)?;
        self.may_grant(to)
    }

    /// Whether this role may deprovision someone who has `target` (`is_self`: themselves).
    pub fn may_deprovision(self, target: Role, is_self: bool) -> Result<(), Refusal> {
        self.may(AdminTask::Deprovision)?;
        if is_self {
            return Err(Refusal::DeprovisionSelf);
        }
        if self != Role::Owner && target >= self {
            return Err(Refusal::DeprovisionEqualOrAbove {
                own: self.as_str(),
                target: target.as_str(),
            });
        }
        Ok(())
    }

    /// Owners manage the workspace's SCIM tokens: a token deprovisions with an owner's rank.
    pub fn may_manage_scim_tokens(self) -> Result<(), Refusal> {
        match self {
            Role::Owner => Ok(()),
            _ => Err(Refusal::ScimTokens),
        }
    }

    /// Whether this role may obtain a managed number where the policy's weakest role is `min_role`.
    pub fn may_obtain_number(self, min_role: Role) -> Result<(), Refusal> {
        match self >= min_role {
            true => Ok(()),
            false => Err(Refusal::ObtainNumber(min_role.plural())),
        }
    }
}

impl PartialOrd for Role {
    fn partial_cmp(&self, other: &Role) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Role {
    fn cmp(&self, other: &Role) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(
            Role::parse("Owner").unwrap_err().to_string(),
            "\"Owner\" is not a role: use owner, super_admin, admin or user"
        );
    }

    #[test]
    fn strength_orders_the_roles() {
        assert!(Owner > SuperAdmin && SuperAdmin > Admin && Admin > User);
        assert_eq!([User, Owner, Admin].into_iter().max(), Some(Owner));
        assert_eq!(Role::ALL.map(Role::is_admin), [true, true, true, false]);
    }

    #[test]
    fn nobody_grants_above_their_own_and_only_owners_make_owners() {
        assert_eq!(Owner.may_grant(Owner), Ok(()));
        assert_eq!(SuperAdmin.may_grant(Owner), Err(Refusal::OwnersMakeOwners));
        assert_eq!(SuperAdmin.may_grant(SuperAdmin), Ok(()));
        assert_eq!(
            Admin.may_grant(SuperAdmin).unwrap_err().to_string(),
            "you cannot grant the role super_admin, which is above your own (admin)"
        );
        assert_eq!(Admin.may_grant(User), Ok(()));
    }

    #[test]
    fn role_changes() {
        assert_eq!(Admin.may_change_role_of(User, false), Err(Refusal::ChangeRoles));
        assert_eq!(Owner.may_change_role_of(Owner, true), Err(Refusal::OwnRole));
        assert_eq!(SuperAdmin.may_change_role_of(Owner, false), Err(Refusal::OwnersRole));
        assert_eq!(SuperAdmin.may_change_role_of(SuperAdmin, false), Ok(()));
        assert_eq!(Owner.may_change_role_of(Owner, false), Ok(()));
    }

    #[test]
    fn deprovisioning_goes_strictly_down_except_for_owners() {
        assert_eq!(
            User.may_deprovision(User, false).unwrap_err().to_string(),
            "only admins, super admins and owners can deprovision people"
        );
        assert_eq!(Admin.may_deprovision(User, false), Ok(()));
        assert!(Admin.may_deprovision(Admin, false).is_err());
        assert!(SuperAdmin.may_deprovision(Owner, false).is_err());
        assert_eq!(Owner.may_deprovision(Owner, false), Ok(()));
        assert_eq!(Owner.may_deprovision(User, true), Err(Refusal::DeprovisionSelf));
    }

    #[test]
    fn admin_tasks_and_numbers() {
        for task in [
            AdminTask::Invite,
            AdminTask::SeeInvitations,
            AdminTask::ManageInvitations,
            AdminTask::Deprovision,
            AdminTask::SetNumberPolicy,
            AdminTask::ReadAuditLog,
        ] {
            assert!(Admin.may(task).is_ok());
            assert!(User.may(task).is_err());
        }
        assert!(User.may_edit_catalog().is_err());
        assert_eq!(User.may_obtain_number(User), Ok(()));
        assert_eq!(
            User.may_obtain_number(Admin).unwrap_err().to_string(),
            "in this workspace only admins and above obtain managed numbers and e-mail addresses (a number may be a purchase); ask an administrator"
        );
        assert_eq!(Owner.may_obtain_number(Admin), Ok(()));
        assert_eq!(Owner.may_manage_scim_tokens(), Ok(()));
        assert_eq!(SuperAdmin.may_manage_scim_tokens(), Err(Refusal::ScimTokens));
    }

    #[test]
    fn setting_a_role_needs_both_the_change_and_the_grant_rule() {
        assert_eq!(SuperAdmin.may_set_role(User, false, Admin), Ok(()));
        assert_eq!(
            SuperAdmin.may_set_role(User, false, Owner),
            Err(Refusal::OwnersMakeOwners)
        );
        assert_eq!(SuperAdmin.may_set_role(Owner, false, User), Err(Refusal::OwnersRole));
        assert_eq!(Owner.may_set_role(Owner, true, User), Err(Refusal::OwnRole));
        assert_eq!(Admin.may_set_role(User, false, User), Err(Refusal::ChangeRoles));
        assert_eq!(Owner.may_set_role(SuperAdmin, false, Owner), Ok(()));
    }
}
