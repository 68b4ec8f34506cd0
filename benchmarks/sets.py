"""The eight shared data sets as the benchmarks read them: one table, used by every script that loops over sets.

name -> (path parts under MEDFAST_DATA, `read_items` options, split settings). Sets without an official test split
hold out a stratified 20 % test split (by patient where the set has a grouping column: the brain-tumour slice series,
the glomeruli slides, the chest X-ray patients, the CT patients), and on the brain-MRI set with its near-duplicate
images kept together (`near_duplicates='group'`: 37 groups of re-saved or resized copies).
"""
SETS = dict(breastmnist=(('breastmnist', 'breastmnist.npz'), {}, {}),
            retinamnist=(('retinamnist', 'retinamnist.npz'), {}, {}),
            brain_mri=(('brain_mri',), {}, dict(test_pct=0.2, near_duplicates='group')),
            leukemia=(('all_leukemia_subset',), {}, dict(test_pct=0.2)),
            brain_tumor_mri=(('brain_tumor_mri', 'labels.csv'), dict(patient_col='approx_series'), dict(test_pct=0.2)),
            glomeruli=(('glomeruli', 'labels.csv'), {}, dict(test_pct=0.2)),
            chest_xray=(('chest_xray', 'labels.csv'), {}, dict(test_pct=0.2)),
            ct_dicom=(('ct_dicom', 'labels.csv'), {}, dict(test_pct=0.2)))
