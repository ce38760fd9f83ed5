# The registration-over-a-warning record becomes a flag HQ resolves: "not the same person", or
# "same person" (the later file closed and linked to the earlier one).

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('beneficiaries', '0005_search_text_spellings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel('DuplicateOverride', 'DuplicateFlag'),
        migrations.AlterModelOptions(
            name='duplicateflag',
            options={'verbose_name': 'possible duplicate', 'verbose_name_plural': 'possible duplicates'},
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='decision',
            field=models.CharField(choices=[('pending', 'To be checked'), ('different', 'Not the same person'), ('same', 'Same person')], default='pending', max_length=10, verbose_name='decision'),
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='decision_note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='same_as',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='beneficiaries.beneficiary', verbose_name='same person as'),
        ),
        migrations.AddField(
            model_name='duplicateflag',
            name='source',
            field=models.CharField(choices=[('registration', 'Registered over a duplicate warning'), ('scan', 'Found by the duplicate scan')], default='registration', max_length=12, verbose_name='raised by'),
        ),
        migrations.AlterField(
            model_name='duplicateflag',
            name='beneficiary',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='duplicate_flag', to='beneficiaries.beneficiary'),
        ),
        migrations.AlterField(
            model_name='duplicateflag',
            name='reason',
            field=models.TextField(blank=True, verbose_name='why registered anyway'),
        ),
        migrations.AlterField(
            model_name='duplicateflag',
            name='recorded_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='raised at'),
        ),
        migrations.AlterField(
            model_name='duplicateflag',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='duplicateflag',
            index=models.Index(fields=['decision'], name='duplicate_flag_decision'),
        ),
        migrations.AddConstraint(
            model_name='duplicateflag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision', 'same'), ('same_as__isnull', False)), models.Q(models.Q(('decision', 'same'), _negated=True), ('same_as__isnull', True)), _connector='OR'), name='duplicate_flag_same_names_the_earlier_file'),
        ),
    ]
