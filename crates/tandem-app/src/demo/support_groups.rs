//! The demo's mentor support groups (R4.3): in each scheme that asks for them, a group held
//! five and a half months ago that its mentors attended, so the next falls due within the month
//! and the coordinators are asked to schedule it. Written with the store, as history is.

use crate::{App, AppError};
use tandem_core::training::{Booking, BookingStatus, Workshop, WorkshopPurpose};
use tandem_core::{BookingId, WorkshopId};
use time::Duration;
use uuid::Uuid;

pub(super) async fn seed(app: &App) -> Result<(), AppError> {
    let now = app.clock.now();
    let held = now - Duration::days(165);
    let mut tx = app.store.begin_write().await?;
    for organisation in tx.organisations().await? {
        for scheme in tx.schemes_of(organisation.id).await? {
            if scheme
                .definition
                .policy
                .mentor_support_group_months
                .is_none_or(|it| it == 0)
            {
                continue;
            }
            let mentors = tx.mentors_of_scheme(scheme.id).await?;
            if mentors.is_empty() {
                continue;
            }
            let group = Workshop {
                id: WorkshopId(Uuid::now_v7()),
                scheme: scheme.id,
                training: WorkshopPurpose::SupportGroup.describe().to_owned(),
                purpose: WorkshopPurpose::SupportGroup,
                title: "Mentors' circle".to_owned(),
                starts_at: held,
                location: "Headquarters, meeting room 2".to_owned(),
                capacity: 20,
                joint: false,
                cancelled: false,
            };
            tx.insert_workshop(&group, held - Duration::days(30))
                .await?;
            for (index, mentor) in mentors.into_iter().enumerate() {
                tx.insert_booking(&Booking {
                    id: BookingId(Uuid::now_v7()),
                    workshop: group.id,
                    person: mentor,
                    // Most came; one in three sent apologies.
                    status: if index % 3 == 2 {
                        BookingStatus::Absent
                    } else {
                        BookingStatus::Attended
                    },
                    priority: 0,
                    requested_at: held - Duration::days(20),
                    partner: None,
                })
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
