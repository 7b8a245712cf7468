"""An adoption's proposal is ``records.Proposal`` now (the same table): the state follows, the database does not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conferences', '0001_initial'),
        ('records', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalproposaladoption',
                    name='proposal',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='records.proposal', verbose_name='đề xuất'),
                ),
                migrations.AlterField(
                    model_name='proposaladoption',
                    name='proposal',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adoptions', to='records.proposal', verbose_name='đề xuất'),
                ),
            ],
        ),
    ]
