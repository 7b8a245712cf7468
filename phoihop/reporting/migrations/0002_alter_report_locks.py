"""A report's locks are ``entry.EntryLock`` now (the same table): the state follows, the database does not change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('entry', '0001_initial'),
        ('reporting', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='report',
                    name='locks',
                    field=models.ManyToManyField(blank=True, related_name='reports', to='entry.entrylock', verbose_name='khóa nhập liệu'),
                ),
            ],
        ),
    ]
